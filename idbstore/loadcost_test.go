//go:build js && wasm

package idbstore

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

var (
	loadCostSizes  = flag.String("idbstore.loadcost", "10000", "comma-separated list sizes TestLoadCost measures, e.g. 10000,100000")
	loadCostRounds = flag.Int("idbstore.loadcost.rounds", 3, "how many times TestLoadCost measures each way")
)

// typicalConversation is a conversation as a chat list holds many of: a short
// name, a text last message, no extension.
func typicalConversation(i int) *core.ConversationRecord {
	id := fmt.Sprintf("me|1|user%06d", i)
	t := int64(1_700_000_000_000 + i*1000)
	return &core.ConversationRecord{
		Conversation: core.Conversation{
			ConversationID: id, Type: core.TypeP2P, Name: fmt.Sprintf("User %d", i),
			Avatar: fmt.Sprintf("https://cdn.example.com/a/%d.png", i),
			LastMessage: &core.LastMessage{
				MessageRefer: core.MessageRefer{
					SenderID: fmt.Sprintf("user%06d", i), ReceiverID: "me", MessageClientID: fmt.Sprintf("c%d", i),
					MessageServerID: strconv.Itoa(900000 + i), ConversationType: core.TypeP2P, ConversationID: id, CreateTime: t,
				},
				MessageContent: core.MessageContent{SendingState: 1, Text: "see you tomorrow at the usual place, bring the slides",
					SenderName: fmt.Sprintf("User %d", i)},
			},
			UnreadCount: i % 5, SortOrder: t, CreateTime: t - 5000, UpdateTime: t,
		},
		ReadTime: t - 100, MaxMessageTime: t, Seq: 1,
	}
}

// plainJS is the baseline's JS: fill a store with plain objects, and time a
// bare getAll of them.
var plainJS = js.Global().Get("Function").New("db", "op", "arg", `
if (op === "fill") {
	const tx = db.transaction("plain", "readwrite");
	const store = tx.objectStore("plain");
	for (const v of JSON.parse(arg)) store.put(v);
	return new Promise((resolve, reject) => { tx.oncomplete = () => resolve(0); tx.onabort = () => reject(tx.error); });
}
const t0 = performance.now();
if (op === "gets") {
	const store = db.transaction("plain", "readonly").objectStore("plain");
	const reqs = JSON.parse(arg).map((k) => store.get(k));
	return new Promise((resolve, reject) => {
		reqs[reqs.length - 1].onsuccess = () => resolve(performance.now() - t0);
		reqs[reqs.length - 1].onerror = () => reject(reqs[reqs.length - 1].error);
	});
}
const req = db.transaction("plain", "readonly").objectStore("plain").getAll();
return new Promise((resolve, reject) => {
	req.onsuccess = () => {
		const ms = performance.now() - t0;
		resolve(op === "json" ? JSON.stringify(req.result) : ms);
	};
	req.onerror = () => reject(req.error);
});
`)

// timed returns how long fn took.
func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

// fastest keeps the least of the durations it is given: on a busy machine the
// fastest of a few runs is the best estimate of what the work itself costs.
type fastest map[string]time.Duration

func (f fastest) note(what string, d time.Duration) {
	if old, ok := f[what]; !ok || d < old {
		f[what] = d
	}
}

func TestLoadCost(t *testing.T) {
	for _, f := range strings.Split(*loadCostSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		require.NoError(t, err)
		t.Run(strconv.Itoa(n), func(t *testing.T) { measureLoad(t, n) })
	}
}

func measureLoad(t *testing.T, n int) {
	name := freshName(t)
	s := open(t, name, Options{})
	recs := make([]*core.ConversationRecord, n)
	for i := range recs {
		recs[i] = typicalConversation(i)
	}
	write := timed(func() { putConvs(t, s, 1, recs...) })
	var snapshot time.Duration

	// The baseline: the same conversations as plain objects (their JSON), in a
	// database of their own.
	plain := openPlain(t, freshName(t))
	defer plain.Call("close")
	asJSON, err := json.Marshal(recs)
	require.NoError(t, err)
	_, err = awaitPromise(ctx, plainJS.Invoke(plain, "fill", string(asJSON)))
	require.NoError(t, err)

	best := fastest{}
	load := func(way string) {
		var first time.Duration
		got := 0
		start := time.Now()
		_, err := New(name, Options{}).Load(ctx, func(b []*core.ConversationRecord) {
			if got == 0 {
				first = time.Since(start)
			}
			got += len(b)
		})
		total := time.Since(start)
		require.NoError(t, err)
		require.Equal(t, n, got)
		best.note(way, total)
		best.note(way+" first", first)
	}
	plainGetAll := func() {
		ms, err := awaitPromise(ctx, plainJS.Invoke(plain, "time", nil))
		require.NoError(t, err)
		best.note("plain", time.Duration(ms.Float()*float64(time.Millisecond)))
	}
	for r := range *loadCostRounds {
		ways := []func(){func() { load("records") }, plainGetAll}
		for i := range ways {
			ways[(r+i)%len(ways)]()
		}
	}
	snapshot = timed(func() { require.NoError(t, s.Update(ctx, writeSnapshotFromRecords(s))) })
	for r := range *loadCostRounds {
		ways := []func(){func() { load("snapshot") }, plainGetAll}
		for i := range ways {
			ways[(r+i)%len(ways)]()
		}
	}

	// A batch read costs about one round trip, not one per record.
	keys := func(k int) []string {
		ids := make([]string, k)
		for i := range ids {
			ids[i] = recs[i*(n/k)].ConversationID
		}
		return ids
	}
	for range 5 {
		for _, k := range []int{1, 100} {
			ids := keys(k)
			best.note(fmt.Sprintf("get %d", k), timed(func() {
				require.NoError(t, s.View(ctx, func(tx core.Tx) error {
					got, err := tx.GetConversations(ids)
					require.NotNil(t, got[k-1])
					return err
				}))
			}))
		}
		keysJSON, _ := json.Marshal(keys(100))
		ms, err := awaitPromise(ctx, plainJS.Invoke(plain, "gets", string(keysJSON)))
		require.NoError(t, err)
		best.note("plain get 100", time.Duration(ms.Float()*float64(time.Millisecond)))
	}

	ms := func(what string) string { return fmt.Sprintf("%6.1f ms", float64(best[what].Microseconds())/1000) }
	per := func(what string) string {
		return fmt.Sprintf("%5.1f µs/record", float64(best[what].Microseconds())/float64(n))
	}
	t.Logf("%d conversations: written in one Update in %v, snapshot written in %v; fastest of %d rounds:",
		n, write.Round(time.Millisecond), snapshot.Round(time.Millisecond), *loadCostRounds)
	t.Logf("  Load from the snapshot:       %s  %s; first %d after %s", ms("snapshot"), per("snapshot"), firstBatchSize, ms("snapshot first"))
	t.Logf("  Load record by record:        %s  %s; first %d after %s", ms("records"), per("records"), firstBatchSize, ms("records first"))
	t.Logf("  plain objects, getAll in JS:  %s  %s (nothing reaches Go)", ms("plain"), per("plain"))
	t.Logf("  View with GetConversations of 1: %s, of 100: %s (100 gets in plain JS: %s)", ms("get 1"), ms("get 100"), ms("plain get 100"))
}

func openPlain(t *testing.T, name string) js.Value {
	return jsOpen(t, name, 1, func(db js.Value) {
		db.Call("createObjectStore", "plain", map[string]any{"keyPath": "conversationId"})
	})
}
