package core

// Randomized model-based tests: long random sequences of every docs/api.md §2 call,
// made against the Service and against refModel (model_ref_test.go), which
// must agree after every step on results, error codes, events and state.
//
//	go test ./core -run TestModel                        # the usual seeds
//	go test ./core -run TestModel -model.long            # many more (or LOCALCONV_MODEL_LONG=1)
//	go test ./core -run TestModel -model.seeds=300 -model.ops=3000
//	go test ./core -run 'TestModelRandom$' -model.seed=7 # one seed, as a failure names it
//
// Several tabs: each tab has its own current conversation, but the tabs share
// the counts. A message applied through one tab to a conversation that is
// current in another counts as unread until that tab catches up and marks it
// read (Service.followCurrent). So with several tabs the model counts by read
// time and, after each call, lets every tab catch up and follow its current
// conversation (modelRun.settle); docs/api.md §3's "not the current one" is checked
// once the tabs have settled.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	modelSeedFlag  = flag.Uint64("model.seed", 0, "run the model tests with this seed only (0: the usual seeds)")
	modelLongFlag  = flag.Bool("model.long", false, "run the model tests with many more seeds and operations (or LOCALCONV_MODEL_LONG=1)")
	modelOpsFlag   = flag.Int("model.ops", 0, "operations per seed in the model tests (0: the default)")
	modelSeedsFlag = flag.Int("model.seeds", 0, "number of seeds in the model tests, 1..n (0: the default)")
)

var errInjected = errors.New("injected storage failure (QuotaExceededError)")

// modelPlan returns the seeds and the operations per seed, and whether the
// run is at least the default one (then every situation of the coverage list
// must have been met).
func modelPlan(seeds, ops, longSeeds, longOps int) ([]uint64, int, bool) {
	defSeeds, defOps := seeds, ops
	if *modelLongFlag || os.Getenv("LOCALCONV_MODEL_LONG") != "" {
		seeds, ops = longSeeds, longOps
	}
	if *modelOpsFlag > 0 {
		ops = *modelOpsFlag
	}
	if *modelSeedsFlag > 0 {
		seeds = *modelSeedsFlag
	}
	if *modelSeedFlag != 0 {
		return []uint64{*modelSeedFlag}, ops, false
	}
	var out []uint64
	for i := 1; i <= seeds; i++ {
		out = append(out, uint64(i))
	}
	return out, ops, seeds >= defSeeds && ops >= defOps
}

func TestModelRandom(t *testing.T) {
	seeds, ops, full := modelPlan(50, 2000, 500, 5000)
	stats := newModelStats()
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				runModel(t, "TestModelRandom$", seed, ops, 1, stats)
			})
		}
	})
	if full && !t.Failed() {
		stats.requireCovered(t, singleTabCoverage)
	}
}

// TestModelRandomTabs runs the random sequences against 2 or 3 Services
// sharing one MemDB, as tabs share one IndexedDB database: each call goes to
// a random tab and every tab must catch up to the model.
func TestModelRandomTabs(t *testing.T) {
	seeds, ops, full := modelPlan(16, 1500, 200, 4000)
	stats := newModelStats()
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				runModel(t, "TestModelRandomTabs$", seed, ops, 2+int(seed%2), stats)
			})
		}
	})
	if full && !t.Failed() {
		stats.requireCovered(t, multiTabCoverage)
	}
}

// Situations every default run must have met, so that the generator cannot
// silently stop exercising them.
var singleTabCoverage = []string{
	"pin limit", "delete limit", "clear limit", "conversation comes back", "duplicate messages",
	"send outcome", "send outcome moves the conversation", "message modified", "old message leaves a conversation deleted",
	"invalid message", "revoke last message", "last message falls back", "last message falls back to null",
	"messages forgotten", "forgotten message applied again", "message older than what is kept",
	"revoke of a message not kept", "delete of a forgotten message", "fallback past what is kept",
	"forgotten id comes with a later time",
	"markRead moved", "markRead past lastMessage", "message in current conversation", "subscribe again", "page splits a tie", "offset above its sortOrder",
	"storage failure", "reload", "delete unread conversation",
	"clear by read mark", "clear drops read marks", "clock goes back",
	"op applyMessages 0", "op applyMessages 191004", "op applyMessages 190001",
	"op createConversation 0", "op createConversation 191004",
	"op updateConversationLocalExtension 0", "op updateConversationLocalExtension 191004",
	"op deleteConversation 0", "op deleteConversation 191004",
	"op deleteConversationListByIds 0", "op deleteConversationListByIds 191004",
	"op stickTopConversation 0", "op stickTopConversation 191004",
	"op getConversation 0", "op getConversation 191004",
	"op getConversationList 0", "op getConversationList 191004",
	"op getConversationListByOption 0", "op getConversationListByOption 191004",
	"op getConversationListByIds 0", "op getConversationListByIds 191004",
	"op getStickTopConversationList 0", "op getTotalUnreadCount 0",
	"op getUnreadCountByIds 0", "op getUnreadCountByIds 191004",
	"op getUnreadCountByFilter 0", "op getUnreadCountByFilter 191004",
	"op clearTotalUnreadCount 0", "op clearUnreadCountByIds 0", "op clearUnreadCountByIds 191004",
	"op clearUnreadCountByTypes 0", "op clearUnreadCountByTypes 191004",
	"op subscribeUnreadCountByFilter 0", "op subscribeUnreadCountByFilter 191004",
	"op unsubscribeUnreadCountByFilter 0", "op unsubscribeUnreadCountByFilter 191004",
	"op markConversationRead 0", "op markConversationRead 191004",
	"op getConversationReadTime 0", "op getConversationReadTime 191004",
	"op revokeMessage 0", "op revokeMessage 191004",
	"op deleteMessages 0", "op deleteMessages 191004",
	"op updateConversationInfo 0", "op updateConversationInfo 191004",
	"op setCurrentConversation 0", "op setCurrentConversation 191004",
	"op applyReadTime 0", "op applyReadTime 191004",
	"op applyClearHistory 0", "op applyClearHistory 191004", "op applyClearHistory 190001",
	"clear history drops lastMessage", "clear history moves a pinned conversation", "message at or before a clear",
	"clear history of a deleted conversation", "clear history of an unknown conversation",
}

var multiTabCoverage = []string{
	"conversation comes back", "duplicate messages", "send outcome", "message modified", "old message leaves a conversation deleted", "revoke last message", "last message falls back",
	"markRead moved", "messages forgotten", "forgotten message applied again", "storage failure", "reload", "page splits a tie",
	"tab catches up", "tab follows its current conversation",
	"op applyMessages 0", "op applyMessages 190001", "op deleteConversation 0", "op stickTopConversation 0",
	"op clearTotalUnreadCount 0", "op applyReadTime 0", "op setCurrentConversation 0",
	"clear by read mark",
	"op applyClearHistory 0", "message at or before a clear",
}

type modelStats struct {
	mu sync.Mutex
	n  map[string]int
}

func newModelStats() *modelStats { return &modelStats{n: map[string]int{}} }

func (s *modelStats) add(what string) {
	s.mu.Lock()
	s.n[what]++
	s.mu.Unlock()
}

func (s *modelStats) requireCovered(t *testing.T, keys []string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var missing []string
	for _, k := range keys {
		if s.n[k] == 0 {
			missing = append(missing, k)
		}
	}
	require.Empty(t, missing, "the random sequences never met these situations; counts: %v", s.n)
}

// --- the run ---

type modelProfile struct {
	name           string
	targets        []string
	clientIDs      int // messageClientIds per conversation
	pinPct         int // stickTopConversation pins (else unpins)
	deleteWeight   int
	reloadPermille int
	tabs           int
	waitWatch      bool // wait for the Watch goroutine instead of calling catchUp
}

func profileFor(seed uint64, tabs int) modelProfile {
	p := modelProfile{
		name:           "narrow",
		targets:        []string{"u0", "u1", "u2", "u3", "x|y", me, "x\uFF01", "x🙂"},
		clientIDs:      24,
		pinPct:         55,
		deleteWeight:   3,
		reloadPermille: 3,
		tabs:           tabs,
		waitWatch:      seed%3 != 0,
	}
	if tabs == 1 && seed%5 == 0 {
		// Many conversations, pins that pile up: reaches the 100-pinned limit.
		p.name = "wide"
		p.targets = nil
		for i := range 45 {
			p.targets = append(p.targets, "w"+strconv.Itoa(i))
		}
		p.clientIDs, p.pinPct, p.deleteWeight = 8, 95, 1
	}
	return p
}

var badIDs = []string{
	"", "alice", "alice|", "alice|1|", "alice|1", "alice|4|u0", "alice|0|u0", "alice|12|u0",
	"alice||u0", "bob|1|u0", "|1|u0", "Alice|1|u0", "alice |1|u0", "alice|a|u0",
}

var (
	ext64k    = strings.Repeat("é", 32768) // exactly 64 KiB of UTF-8
	ext64kBad = ext64k + "x"
)

type modelRun struct {
	t         *testing.T
	runName   string
	seed      uint64
	rng       *rand.Rand
	prof      modelProfile
	db        *MemDB
	clock     *clock
	m         *refModel
	tabs      []*tabRun
	universe  []string
	step      int
	history   []string
	stats     *modelStats
	lastBatch []Message
}

type tabRun struct {
	s       *Service
	ev      *recorder
	replay  *replayState
	view    map[string]Conversation // the list as the tab last showed it
	marks   []ReadTimeUpdate        // read times marked elsewhere since
	offsets []float64               // recently handed-out paging offsets
	lag     int                     // steps this tab stays behind, as a throttled background tab
}

// String is the failure context: seed, step, recent calls and how to rerun.
func (r *modelRun) String() string {
	from := max(0, len(r.history)-15)
	return fmt.Sprintf("seed %d (%s profile, %d tab(s)), step %d\nrerun: go test ./core -run '%s' -model.seed=%d\nlast calls:\n  %s\n",
		r.seed, r.prof.name, r.prof.tabs, r.step, r.runName, r.seed, strings.Join(r.history[from:], "\n  "))
}

func runModel(t *testing.T, runName string, seed uint64, ops, tabs int, stats *modelStats) {
	prof := profileFor(seed, tabs)
	r := &modelRun{
		t:       t,
		runName: runName,
		seed:    seed,
		rng:     rand.New(rand.NewPCG(seed, 0x10ca1c0)),
		prof:    prof,
		db:      NewMemDB(),
		clock:   &clock{t: 1000},
		m:       newRefModel(tabs, tabs == 1),
		stats:   stats,
	}
	r.m.note = stats.add
	// Few kept messages, so that runs forget often (docs/api.md "What is kept").
	r.m.keep = 1 + int(seed%3)
	for typ := 1; typ <= 3; typ++ {
		for _, target := range prof.targets {
			r.universe = append(r.universe, me+"|"+strconv.Itoa(typ)+"|"+target)
		}
	}
	for range tabs {
		r.tabs = append(r.tabs, r.openTab())
	}
	for range ops {
		r.stepOnce()
	}
	r.catchUpAll()
	r.checkAll()
	r.walkAll()
	for _, tab := range r.tabs {
		require.NoError(t, tab.s.Close(), "%v", r)
		r.requireClosed(tab)
	}
}

// clientID picks a messageClientId; a few of them order differently in
// UTF-16 (as JavaScript and IndexedDB compare) than in UTF-8.
func (r *modelRun) clientID() string {
	if n := r.pick(r.prof.clientIDs + 2); n < r.prof.clientIDs {
		return "c" + strconv.Itoa(n)
	} else if n == r.prof.clientIDs {
		return "c\uFF01"
	}
	return "c🙂"
}

func (r *modelRun) openTab() *tabRun {
	tab := &tabRun{ev: &recorder{}}
	s, err := Open(context.Background(), Options{AccountID: me, Store: r.db.Connect(), Listener: tab.ev.listen, Now: r.clock.now, KeepNewest: r.m.keep, TailHead: 1 + int(r.seed%3)})
	require.NoError(r.t, err, "%v", r)
	tab.s = s
	require.Equal(r.t, []string{EventSyncStarted, EventSyncFinished}, tab.ev.types(), "%v: sync events", r)
	if r.prof.tabs > 1 && !r.prof.waitWatch {
		s.h.stopWatch() // this run makes every catch-up itself, see settle
	}
	tab.view = r.m.snapshot()
	tab.replay = &replayState{convs: r.m.snapshot(), total: r.m.total(), filters: map[string]int64{}}
	return tab
}

// requireClosed checks that a closed Service rejects calls with 190002 and emits nothing.
func (r *modelRun) requireClosed(tab *tabRun) {
	ctx := context.Background()
	s := tab.s
	_, err := s.GetTotalUnreadCount()
	r.requireCode(CodeClosed, err, "getTotalUnreadCount after close")
	_, err = s.CreateConversation(ctx, r.universe[0])
	r.requireCode(CodeClosed, err, "createConversation after close")
	_, err = s.GetConversationList(0, 10)
	r.requireCode(CodeClosed, err, "getConversationList after close")
	r.requireCode(CodeClosed, s.SubscribeUnreadCountByFilter(Filter{IgnoreMuted: true}), "subscribe after close")
	_, err = s.ApplyMessages(ctx, []Message{msg(me+"|1|u0", "closed", 5)})
	r.requireCode(CodeClosed, err, "applyMessages after close")
	r.requireCode(CodeClosed, s.Close(), "close after close")
	require.Empty(r.t, tab.ev.take(), "%v: a closed Service emitted events", r)
}

func (r *modelRun) requireCode(code int, err error, what string) {
	require.Equal(r.t, code, r.codeOf(err), "%v: %s: %v", r, what, err)
}

// codeOf is the error's code, 0 for none; every error is an *Error with a message.
func (r *modelRun) codeOf(err error) int {
	if err == nil {
		return 0
	}
	var e *Error
	require.True(r.t, errors.As(err, &e), "%v: error %v (%T) is not an *Error", r, err, err)
	require.NotEmpty(r.t, e.Message, "%v: error without a message", r)
	return e.Code
}

func (r *modelRun) chance(pct int) bool { return r.rng.IntN(100) < pct }
func (r *modelRun) pick(n int) int      { return r.rng.IntN(n) }

func (r *modelRun) stepOnce() {
	r.step++
	if r.chance(2) {
		// Clocks are set back (by the user, by NTP): read marks must not
		// rely on time only moving forward.
		r.clock.set(max(0, r.clock.now()-int64(r.pick(40))))
		r.stats.add("clock goes back")
	} else {
		r.clock.set(r.clock.now() + int64(r.pick(4)))
	}
	r.m.now = r.clock.now()
	k := r.pick(len(r.tabs))
	if len(r.tabs) > 1 && !r.prof.waitWatch {
		// A tab may fall behind for a while and then catch up over many
		// changes at once; one that is called catches up first.
		for _, tab := range r.tabs {
			tab.lag = max(0, tab.lag-1)
		}
		if j := r.pick(len(r.tabs)); j != k && r.chance(4) && r.tabs[j].lag == 0 {
			r.tabs[j].lag = 1 + r.pick(12)
			r.history = append(r.history, fmt.Sprintf("#%d tab %d falls behind for %d steps", r.step, j, r.tabs[j].lag))
		}
		if r.tabs[k].lag > 0 {
			r.tabs[k].lag = 0
			r.history = append(r.history, fmt.Sprintf("#%d tab %d catches up", r.step, k))
		}
		r.settle(k) // the tabs whose lag ended
	}
	if r.rng.IntN(1000) < r.prof.reloadPermille {
		r.history = append(r.history, fmt.Sprintf("#%d tab %d: reload", r.step, k))
		r.reload(k)
	} else {
		o := r.genOp(k)
		fail := o.write && r.chance(4)
		desc := fmt.Sprintf("#%d tab %d @%d: %s", r.step, k, r.m.now, o.desc)
		if fail {
			desc += "  [storage fails]"
		}
		r.history = append(r.history, desc)
		r.exec(k, o, fail)
		r.settle(k)
	}
	r.checkAll()
	if r.step%25 == 0 {
		r.catchUpAll()
		r.walkAll()
	}
}

func (r *modelRun) reload(k int) {
	old := r.tabs[k]
	require.NoError(r.t, old.s.Close(), "%v", r)
	r.requireClosed(old)
	r.m.tabs[k] = &refTab{}
	r.tabs[k] = r.openTab()
	r.stats.add("reload")
	for j, tab := range r.tabs {
		require.Empty(r.t, tab.ev.take(), "%v: tab %d emitted events on a reload", r, j)
	}
}

// modelOp is one call, made on the Service (svc, returning a result the model
// can predict) and on the model (ref).
type modelOp struct {
	name  string
	desc  string
	write bool // a store transaction that can fail with 190001
	svc   func(s *Service) (any, error)
	ref   func(m *refModel, tab int) refResult
}

// exec makes the call on tab k and on the model and compares the result, the
// error code and the events the tab emitted.
func (r *modelRun) exec(k int, o *modelOp, fail bool) {
	m := r.m
	m.forget() // what the calls between (followCurrent, catch-ups) let go
	before := m.snapshot()
	var res refResult
	if fail {
		res = o.ref(m.clone(), k)
		if res.code == 0 {
			res = refResult{code: CodeInternal}
			r.stats.add("storage failure")
		}
		r.db.failNextUpdate(errInjected)
	} else {
		res = o.ref(m, k)
		if res.code == 0 {
			m.stamp(before)
			m.forget()
		}
	}
	marksBefore := r.dbMarks()
	got, err := o.svc(r.tabs[k].s)
	r.noteMarks(marksBefore)
	if fail {
		r.db.failNextUpdate(nil) // a call rejected before its transaction leaves it pending
	}
	code := r.codeOf(err)
	r.stats.add(fmt.Sprintf("op %s %d", o.name, code))
	if code != res.code {
		r.t.Fatalf("%v: error code %d, the model says %d (err: %v)", r, code, res.code, err)
	}
	if code == 0 && res.value != nil {
		r.same(res.value(), got, "result")
	}
	var want []Event
	after := before
	if code == 0 {
		after = m.snapshot()
		want = append(r.expectEvents(k, before, after, res.marks), res.extra...)
		for j, tab := range r.tabs {
			if j != k {
				tab.marks = append(tab.marks, res.marks...)
			}
		}
	}
	tab := r.tabs[k]
	batches := takeBatches(tab.ev)
	if r.prof.waitWatch && len(batches) > 0 && len(want) > 0 {
		// Other tabs may have reacted already; the call's own events come first.
		r.sameEvents(want, batches[0], "events of tab %d", k)
		r.replay(k, slices.Concat(batches...))
	} else {
		r.sameEvents(want, slices.Concat(batches...), "events of tab %d", k)
		r.replay(k, slices.Concat(batches...))
	}
	tab.view = after
}

func (r *modelRun) dbMarks() ReadMarks {
	r.db.mu.Lock()
	defer r.db.mu.Unlock()
	return r.db.marks.clone()
}

// noteMarks counts how a call changed the database's read marks.
func (r *modelRun) noteMarks(before ReadMarks) {
	after := r.dbMarks()
	for i := range after {
		switch {
		case len(after[i]) > len(before[i]):
			r.stats.add("clear by read mark")
		case len(after[i]) < len(before[i]):
			r.stats.add("clear drops read marks")
		}
	}
}

func takeBatches(rec *recorder) [][]Event {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := rec.batches
	rec.batches = nil
	return out
}

func seqOf(s *Service) uint64 {
	s.h.mu.RLock()
	defer s.h.mu.RUnlock()
	return s.h.cache.seq
}

// settle brings the tabs up to the database after a call on tab k: each
// catches up and, if its current conversation gained unread messages, marks
// them read, which the others catch up with in turn. Without the Watch
// goroutines (stopped in these runs) every catch-up is made here, in tab
// order, except for lagging tabs, and its events are predicted exactly; with
// them, the tabs react on their own and their events must rebuild the list
// when replayed.
func (r *modelRun) settle(k int) {
	if len(r.tabs) == 1 {
		return
	}
	if r.prof.waitWatch {
		r.settleByWatch(k)
		return
	}
	for progressed := true; progressed; {
		progressed = false
		for j, tab := range r.tabs {
			if tab.lag > 0 || seqOf(tab.s) == r.db.Seq() {
				continue
			}
			progressed = true
			r.catchUpTab(j)
		}
	}
}

// catchUpTab has tab j catch up with the database, and follow its current
// conversation, and checks the events it emits.
func (r *modelRun) catchUpTab(j int) {
	tab := r.tabs[j]
	now := r.m.snapshot()
	want := r.expectEvents(j, tab.view, now, tab.marks)
	tab.marks = nil
	if r.m.followCurrent(j) {
		after := r.m.snapshot()
		want = append(want, r.expectEvents(j, now, after, nil)...)
		now = after
	}
	tab.s.h.catchUp(context.Background())
	got := tab.ev.take()
	r.sameEvents(want, got, "events of tab %d catching up", j)
	r.replay(j, got)
	tab.view = now
	r.stats.add("tab catches up")
}

// catchUpAll ends every tab's lag.
func (r *modelRun) catchUpAll() {
	for _, tab := range r.tabs {
		tab.lag = 0
	}
	r.settle(0)
}

// settleByWatch waits until every tab's Watch goroutine has caught up and
// followed its current conversation.
func (r *modelRun) settleByWatch(k int) {
	for j := range r.tabs {
		if j != k {
			r.m.followCurrent(j)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for !r.quiet() {
		if time.Now().After(deadline) {
			r.t.Fatalf("%v: the tabs did not catch up with change %d within 2s", r, r.db.Seq())
		}
		time.Sleep(20 * time.Microsecond)
	}
	now := r.m.snapshot()
	for j, tab := range r.tabs {
		// A catch-up emits its events before it lets go of writeMu.
		tab.s.h.writeMu.Lock()
		tab.s.h.writeMu.Unlock() //nolint:staticcheck // empty on purpose: waits for a catch-up to finish
		r.replay(j, tab.ev.take())
		tab.view, tab.marks = now, nil
	}
}

// quiet reports whether every tab is up to the database and none has unread
// messages in its current conversation left to mark read.
func (r *modelRun) quiet() bool {
	seq := r.db.Seq()
	for _, tab := range r.tabs {
		s := tab.s
		s.h.mu.RLock()
		behind := s.h.cache.seq != seq
		cur := s.h.cache.convs[s.current]
		s.h.mu.RUnlock()
		if behind || (cur != nil && cur.UnreadCount > 0) {
			return false
		}
	}
	return true
}

func filterKey(f Filter) string { return fmt.Sprint(f.ConversationTypes, f.IgnoreMuted) }

func snapshotTotal(snap map[string]Conversation) int64 {
	var n int64
	for _, c := range snap {
		n += int64(c.UnreadCount)
	}
	return n
}

func snapshotFilter(snap map[string]Conversation, f Filter) int64 {
	var n int64
	for _, c := range snap {
		if (len(f.ConversationTypes) == 0 || slices.Contains(f.ConversationTypes, c.Type)) && !(f.IgnoreMuted && c.Mute) {
			n += int64(c.UnreadCount)
		}
	}
	return n
}

func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// expectEvents is what tab j must emit when its list goes from before to
// after, with read times marked on the given conversations, in docs/api.md §4's order.
func (r *modelRun) expectEvents(j int, before, after map[string]Conversation, marks []ReadTimeUpdate) []Event {
	var events []Event
	var deleted []string
	var changed []Conversation
	for _, id := range sortedIDs(after) {
		if _, ok := before[id]; !ok {
			events = append(events, Event{EventConversationCreated, after[id]})
		}
	}
	for _, id := range sortedIDs(before) {
		a, ok := after[id]
		switch {
		case !ok:
			deleted = append(deleted, id)
		case !reflect.DeepEqual(before[id], a):
			changed = append(changed, a)
		}
	}
	if len(deleted) > 0 {
		events = append(events, Event{EventConversationDeleted, deleted})
	}
	if len(changed) > 0 {
		events = append(events, Event{EventConversationChanged, changed})
	}
	marked := map[string]bool{}
	for _, mk := range marks {
		marked[mk.ConversationID] = true
	}
	for _, id := range sortedIDs(marked) {
		if c := r.m.live(id); c != nil {
			events = append(events, Event{EventConversationReadTimeUpdated, ReadTimeUpdate{id, c.readTime}})
		}
	}
	if t0, t1 := snapshotTotal(before), snapshotTotal(after); t0 != t1 {
		events = append(events, Event{EventTotalUnreadCountChanged, t1})
	}
	for _, f := range r.m.tabs[j].filters {
		if n0, n1 := snapshotFilter(before, f), snapshotFilter(after, f); n0 != n1 {
			events = append(events, Event{EventUnreadCountChangedByFilter, FilterCount{f, n1}})
		}
	}
	return events
}

// normalizeEvents sorts what the contract leaves unordered: the conversations within
// a run of conversationCreated, within conversationDeleted and
// conversationChanged, and within a run of conversationReadTimeUpdated.
func normalizeEvents(events []Event) []Event {
	out := slices.Clone(events)
	for i, e := range out {
		switch d := e.Detail.(type) {
		case []string:
			d = slices.Clone(d)
			sort.Strings(d)
			out[i].Detail = d
		case []Conversation:
			d = slices.Clone(d)
			sort.Slice(d, func(a, b int) bool { return d[a].ConversationID < d[b].ConversationID })
			out[i].Detail = d
		}
	}
	key := func(e Event) string {
		switch d := e.Detail.(type) {
		case Conversation:
			return d.ConversationID
		case ReadTimeUpdate:
			return d.ConversationID
		}
		return ""
	}
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j].Type == out[i].Type {
			j++
		}
		if out[i].Type == EventConversationCreated || out[i].Type == EventConversationReadTimeUpdated {
			run := out[i:j]
			sort.SliceStable(run, func(a, b int) bool { return key(run[a]) < key(run[b]) })
		}
		i = j
	}
	return out
}

// same fails with a diff unless want and got are deeply equal; it calls
// require only on a mismatch, which keeps the many checks per step cheap.
func (r *modelRun) same(want, got any, format string, args ...any) {
	if !reflect.DeepEqual(want, got) {
		require.Equal(r.t, shorten(want), shorten(got), append([]any{"%v: " + format, r}, args...)...)
	}
}

// shorten replaces long local extensions so that a failure's diff stays readable.
func shorten(v any) any {
	conv := func(c Conversation) Conversation {
		if len(c.LocalExtension) > 32 {
			c.LocalExtension = fmt.Sprintf("<%d bytes>", len(c.LocalExtension))
		}
		return c
	}
	list := func(l []Conversation) []Conversation {
		if l == nil {
			return nil
		}
		out := make([]Conversation, len(l))
		for i, c := range l {
			out[i] = conv(c)
		}
		return out
	}
	switch x := v.(type) {
	case Conversation:
		return conv(x)
	case []Conversation:
		return list(x)
	case map[string]Conversation:
		out := map[string]Conversation{}
		for id, c := range x {
			out[id] = conv(c)
		}
		return out
	case ConversationResult:
		x.ConversationList = list(x.ConversationList)
		return x
	case []Event:
		out := slices.Clone(x)
		for i := range out {
			out[i].Detail = shorten(out[i].Detail)
		}
		return out
	}
	return v
}

func (r *modelRun) check(ok bool, format string, args ...any) {
	if !ok {
		r.t.Fatalf("%v: "+format, append([]any{r}, args...)...)
	}
}

func (r *modelRun) sameEvents(want, got []Event, format string, args ...any) {
	r.same(normalizeEvents(want), normalizeEvents(got), format, args...)
}

func (r *modelRun) replay(j int, events []Event) {
	err := r.tabs[j].replay.apply(events)
	r.check(err == nil, "replaying the events of tab %d: %v", j, err)
}

// replayState is a list rebuilt from nothing but events.
type replayState struct {
	convs   map[string]Conversation
	total   int64
	filters map[string]int64
}

func (rp *replayState) apply(events []Event) error {
	for _, e := range events {
		switch e.Type {
		case EventConversationCreated:
			c := e.Detail.(Conversation)
			if _, ok := rp.convs[c.ConversationID]; ok {
				return fmt.Errorf("conversationCreated for %s, which exists", c.ConversationID)
			}
			rp.convs[c.ConversationID] = c
		case EventConversationDeleted:
			for _, id := range e.Detail.([]string) {
				if _, ok := rp.convs[id]; !ok {
					return fmt.Errorf("conversationDeleted for %s, which does not exist", id)
				}
				delete(rp.convs, id)
			}
		case EventConversationChanged:
			for _, c := range e.Detail.([]Conversation) {
				if _, ok := rp.convs[c.ConversationID]; !ok {
					return fmt.Errorf("conversationChanged for %s, which does not exist", c.ConversationID)
				}
				rp.convs[c.ConversationID] = c
			}
		case EventConversationReadTimeUpdated:
			u := e.Detail.(ReadTimeUpdate)
			if _, ok := rp.convs[u.ConversationID]; !ok {
				return fmt.Errorf("conversationReadTimeUpdated for %s, which does not exist", u.ConversationID)
			}
		case EventTotalUnreadCountChanged:
			rp.total = e.Detail.(int64)
		case EventUnreadCountChangedByFilter:
			fc := e.Detail.(FilterCount)
			rp.filters[filterKey(fc.Filter)] = fc.UnreadCount
		default:
			return fmt.Errorf("unexpected event %s", e.Type)
		}
	}
	return nil
}

// storedUnread counts the conversation's stored messages that count as unread
// against the read time (docs/api.md §3), straight from the database.
func storedUnread(db *MemDB, id string, readTime int64) int {
	n := 0
	for _, m := range db.Messages(id) {
		if !m.Deleted && !m.Revoked && m.SenderID != me && m.UnreadEnabled && m.CreateTime > readTime {
			n++
		}
	}
	return n
}

// checkAll checks that the database, every tab and every tab's replayed
// events agree with the model, and docs/api.md §3's invariant.
func (r *modelRun) checkAll() {
	want := r.m.snapshot()
	total := r.m.total()
	current := map[string]bool{} // a lagging tab has not followed its current conversation yet
	for j, t := range r.m.tabs {
		if r.tabs[j].lag == 0 {
			current[t.current] = true
		}
	}

	recs := r.db.Conversations()
	r.check(len(recs) == len(r.m.convs), "%d records in the database, the model has %d", len(recs), len(r.m.convs))
	for _, id := range sortedIDs(recs) {
		rec, c := recs[id], r.m.convs[id]
		r.check(c != nil, "the database has %s, which the model never created", id)
		r.check(c.live == rec.live(), "%s is live=%v in the database, the model says %v", id, rec.live(), c.live)
		r.check(c.readTime == rec.ReadTime, "read time of %s in the database is %d, the model says %d", id, rec.ReadTime, c.readTime)
		if !rec.live() {
			continue
		}
		r.same(want[id], rec.Conversation, "%s in the database", id)
		// docs/api.md §3: unreadCount is the number of stored messages that count;
		// a current conversation (of any tab) takes none.
		n := 0
		if !current[id] {
			n = storedUnread(r.db, id, rec.ReadTime)
		}
		r.check(n == rec.UnreadCount, "unreadCount of %s is %d, but %d of its stored messages count", id, rec.UnreadCount, n)
	}
	for j := range r.tabs {
		r.checkTab(j, want, total)
	}
}

// checkTab checks tab j against the model, or, while it lags, against the
// list it showed last.
func (r *modelRun) checkTab(j int, want map[string]Conversation, total int64) {
	tab := r.tabs[j]
	s := tab.s
	lagging := tab.lag > 0
	if lagging {
		want, total = tab.view, snapshotTotal(tab.view)
	}
	got := map[string]Conversation{}
	for _, id := range r.universe {
		c, err := s.GetConversation(id)
		rt, rtErr := s.GetConversationReadTime(id)
		w, ok := want[id]
		if !ok {
			r.check(r.codeOf(err) == CodeInvalidParam, "tab %d getConversation(%s) of a missing conversation: %v", j, id, err)
			r.check(r.codeOf(rtErr) == CodeInvalidParam, "tab %d getConversationReadTime(%s) of a missing conversation: %v", j, id, rtErr)
			continue
		}
		r.check(err == nil && rtErr == nil, "tab %d getConversation(%s): %v, getConversationReadTime: %v", j, id, err, rtErr)
		r.same(w, c, "tab %d conversation %s", j, id)
		r.check(lagging || rt == r.m.convs[id].readTime, "tab %d read time of %s is %d, the model says %d", j, id, rt, r.m.convs[id].readTime)
		got[id] = c
	}
	s.h.mu.RLock()
	cached := len(s.h.cache.convs)
	cur := s.current
	s.h.mu.RUnlock()
	r.check(cached == len(want), "tab %d caches %d conversations, the model has %d", j, cached, len(want))
	r.check(cur == r.m.tabs[j].current, "tab %d current conversation %q, the model says %q", j, cur, r.m.tabs[j].current)
	if c, ok := got[cur]; ok {
		r.check(c.UnreadCount == 0, "tab %d: its current conversation %s has %d unread", j, cur, c.UnreadCount)
	}

	n, err := s.GetTotalUnreadCount()
	r.check(err == nil && n == total && n == snapshotTotal(got), "tab %d total unread %d (%v), the model says %d, its conversations sum to %d",
		j, n, err, total, snapshotTotal(got))
	for _, f := range r.m.tabs[j].filters {
		n, err := s.GetUnreadCountByFilter(f)
		w := snapshotFilter(want, f)
		r.check(err == nil && n == w && n == snapshotFilter(got, f), "tab %d count of filter %v is %d (%v), the model says %d, its conversations sum to %d",
			j, f, n, err, w, snapshotFilter(got, f))
		r.check(tab.replay.filters[filterKey(f)] == n, "tab %d count of filter %v from its events is %d, not %d", j, f, tab.replay.filters[filterKey(f)], n)
	}
	r.same(got, tab.replay.convs, "tab %d list rebuilt from its events", j)
	r.check(tab.replay.total == total, "tab %d total from its events is %d, not %d", j, tab.replay.total, total)
}

// --- paging walks ---

func (r *modelRun) walkAll() {
	for k := range r.tabs {
		r.walk(k, 3, nil)
		for range 3 {
			opt := r.pickOption(false)
			r.walk(k, r.pickLimit(), opt)
		}
	}
	for j := range r.tabs {
		r.sameEvents(nil, r.tabs[j].ev.take(), "events of tab %d while paging", j) // paging emits nothing
	}
}

// walk pages through a whole list and compares every page with the model;
// the pages together hold every matching conversation exactly once.
func (r *modelRun) walk(k, limit int, opt *Option) {
	var types []ConversationType
	onlyUnread := false
	if opt != nil {
		types, onlyUnread = refTypeSet(opt.ConversationTypes), opt.OnlyUnread
	}
	all := r.m.sorted(types, onlyUnread)
	key := refOptionKey(types, onlyUnread)
	var seen []Conversation
	offset := 0.0
	for pages := 0; ; pages++ {
		want := r.m.pageIn(all, k, offset, limit, key)
		got, err := r.pageCall(r.tabs[k].s, offset, limit, opt)
		r.check(err == nil, "walk page %d: %v", pages, err)
		r.same(want.value(), got, "tab %d walk (limit %d, option %+v) page %d at offset %v", k, limit, opt, pages, offset)
		res := got.(ConversationResult)
		seen = append(seen, res.ConversationList...)
		if res.Finished {
			break
		}
		r.check(pages < 1000, "a walk does not end")
		offset = res.Offset
	}
	if len(seen) == 0 {
		seen = nil
	}
	r.same(all, seen, "tab %d walk (limit %d, option %+v) returns every conversation once, in order", k, limit, opt)
	r.stats.add("walk")
}

func (r *modelRun) pageCall(s *Service, offset float64, limit int, opt *Option) (any, error) {
	var res ConversationResult
	var err error
	if opt == nil {
		res, err = s.GetConversationList(offset, limit)
	} else {
		res, err = s.GetConversationListByOption(offset, limit, *opt)
	}
	if len(res.ConversationList) == 0 {
		res.ConversationList = nil
	}
	return res, err
}

// --- generators ---

// liveIDs is the model's live conversations, sorted so that picks are reproducible.
func (r *modelRun) liveIDs() []string {
	var ids []string
	for id, c := range r.m.convs {
		if c.live {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

func (r *modelRun) pickID() string {
	switch x := r.pick(100); {
	case x < 5:
		return badIDs[r.pick(len(badIDs))]
	case x < 65:
		if live := r.liveIDs(); len(live) > 0 {
			return live[r.pick(len(live))]
		}
	}
	return r.universe[r.pick(len(r.universe))]
}

func (r *modelRun) pickIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = r.pickID()
		if !refValidID(ids[i]) && r.chance(70) {
			ids[i] = r.universe[r.pick(len(r.universe))] // keep most lists valid
		}
	}
	return ids
}

// pickCount picks a list length: mostly small, sometimes 0 or just over limit.
func (r *modelRun) pickCount(limit int) int {
	switch x := r.pick(100); {
	case x < 3:
		return 0
	case x < 6:
		return limit + 1
	case x < 8:
		return limit
	default:
		return 1 + r.pick(min(limit, 5))
	}
}

func (r *modelRun) pickTypes() []ConversationType {
	var types []ConversationType
	for _, t := range r.rng.Perm(3) {
		if r.chance(45) {
			types = append(types, ConversationType(t+1))
		}
	}
	if len(types) > 0 && r.chance(15) {
		types = append(types, types[0]) // a duplicate
	}
	if r.chance(4) {
		types = append(types, []ConversationType{0, 4, -1}[r.pick(3)])
	}
	return types
}

func (r *modelRun) pickFilter() Filter {
	f := Filter{ConversationTypes: r.pickTypes(), IgnoreMuted: r.chance(50)}
	if len(f.ConversationTypes) == 0 && !r.chance(8) {
		f.IgnoreMuted = true
	}
	return f
}

// pickOption returns nil for getConversationList, else an option.
func (r *modelRun) pickOption(mayBeBad bool) *Option {
	if r.chance(35) {
		return nil
	}
	opt := &Option{ConversationTypes: r.pickTypes(), OnlyUnread: r.chance(40)}
	if !mayBeBad {
		opt.ConversationTypes = refTypeSet(opt.ConversationTypes)
	}
	return opt
}

func (r *modelRun) pickLimit() int {
	return []int{-1, 0, 1, 1, 2, 2, 3, 3, 4, 5, 8, 150}[r.pick(12)]
}

func (r *modelRun) pickOffset(tab *tabRun) float64 {
	switch x := r.pick(100); {
	case x < 35:
		return 0
	case x < 65 && len(tab.offsets) > 0:
		return tab.offsets[r.pick(len(tab.offsets))]
	case x < 82:
		if live := r.liveIDs(); len(live) > 0 {
			return float64(r.m.conv(live[r.pick(len(live))]).SortOrder + int64(r.pick(3)) - 1)
		}
		return 0
	case x < 88:
		return float64(r.clock.now()-int64(r.pick(100))) + 0.5
	case x < 92:
		return []float64{1e300, 2e15, math.MaxInt64}[r.pick(3)]
	default:
		return []float64{-1, -0.5, math.NaN(), math.Inf(1), math.Inf(-1)}[r.pick(5)]
	}
}

func (r *modelRun) pickTime() int64 {
	now := r.clock.now()
	switch x := r.pick(1000); {
	case x < 550:
		return max(0, now-int64(r.pick(80)))
	case x < 750:
		return now + int64(r.pick(6))
	case x < 870:
		if len(r.m.keys) > 0 { // a tie with another message
			return r.m.find(r.m.keys[r.pick(len(r.m.keys))]).m.CreateTime
		}
		return now
	case x < 930:
		return int64(r.pick(3)) * 500
	case x < 932:
		return 1e15 - 1
	default:
		return max(0, now-200-int64(r.pick(500)))
	}
}

func (r *modelRun) genMessage() Message {
	if len(r.m.keys) > 0 && r.chance(20) {
		// A message applied before: a duplicate, whatever it says now,
		// which may update the stored one: the outcome of a send (a
		// sending message of mine that comes again as succeeded or failed)
		// or a modification (a later modifyTime).
		x := r.m.find(r.m.keys[r.pick(len(r.m.keys))]).m
		if r.chance(50) {
			x.CreateTime, x.Text = r.pickTime(), "edited"
		}
		if r.chance(40) {
			x.SendingState = 1 + r.pick(3)
		}
		if r.chance(30) {
			x.ModifyTime = max(0, x.ModifyTime+int64(r.pick(4))-1)
			x.Text, x.SubType = "modified"+strconv.Itoa(r.pick(1000)), r.pick(3)
			x.Attachment = []RawJSON{"", `{"url":"b.png"}`}[r.pick(2)]
			x.ServerExtension, x.CallbackExtension = []string{"", `{"m":1}`}[r.pick(2)], []string{"", "cb2"}[r.pick(2)]
		}
		return x
	}
	id := r.universe[r.pick(len(r.universe))]
	if r.chance(2) {
		id = badIDs[r.pick(len(badIDs))]
	}
	target := ""
	if refValidID(id) {
		target = refTargetOf(id)
	}
	var sender string
	if refValidID(id) && refTypeOf(id) == TypeP2P {
		sender = target
		if r.chance(35) {
			sender = me
		}
	} else {
		sender = []string{"bob", "carol", me, "u1"}[r.pick(4)]
	}
	x := Message{
		MessageRefer: MessageRefer{ConversationID: id, MessageClientID: r.clientID(), SenderID: sender, CreateTime: r.pickTime()},
		MessageContent: MessageContent{
			MessageType:  refMessageTypes[r.pick(len(refMessageTypes))],
			SubType:      r.pick(3),
			SendingState: r.pick(4),
			Text:         "t" + strconv.Itoa(r.pick(1000)),
		},
		UnreadEnabled:            !r.chance(15),
		LastMessageUpdateEnabled: !r.chance(12),
	}
	if r.chance(70) {
		x.MessageServerID = "s" + strconv.Itoa(r.pick(100000))
	}
	x.Attachment = []RawJSON{"", "", `{"url":"a.png","w":3}`, `"plain"`}[r.pick(4)]
	x.ServerExtension = []string{"", "", `{"k":1}`}[r.pick(3)]
	x.CallbackExtension = []string{"", "cb"}[r.pick(2)]
	x.SenderName = []string{"", "Bob", "鲍勃"}[r.pick(3)]
	if r.chance(5) {
		x.ModifyTime = 1 + int64(r.pick(3)) // modified before it came
	}
	if r.chance(25) && target != "" {
		switch {
		case refTypeOf(id) != TypeP2P:
			x.ReceiverID = target
		case sender == me:
			x.ReceiverID = target
		default:
			x.ReceiverID = me
		}
	}
	if r.chance(5) { // something invalid
		switch r.pick(8) {
		case 7:
			x.ModifyTime = []int64{-1, 1e15}[r.pick(2)]
		case 0:
			x.MessageClientID = ""
		case 1:
			x.SenderID = ""
		case 2:
			x.CreateTime = []int64{-1, 1e15, math.MaxInt64}[r.pick(3)]
		case 3:
			x.MessageType = []int{8, -2, 99, 101}[r.pick(4)]
		case 4:
			x.SendingState = []int{-1, 4}[r.pick(2)]
		case 5:
			x.SenderID = "mallory" // a stranger: invalid in P2P only
		case 6:
			x.ReceiverID = "mallory" // invalid in P2P only
		}
	}
	return x
}

func (r *modelRun) genBatch() []Message {
	if r.chance(2) {
		return nil
	}
	var batch []Message
	if len(r.lastBatch) > 0 && r.chance(25) {
		// Overlapping batches: some of the last batch again, from any tab.
		for _, x := range r.lastBatch {
			if r.chance(70) {
				batch = append(batch, x)
			}
		}
	}
	for n := 1 + r.pick(5); len(batch) < n; {
		batch = append(batch, r.genMessage())
	}
	if len(batch) > 1 && r.chance(15) {
		batch = append(batch, batch[r.pick(len(batch))]) // a duplicate within the batch
	}
	r.rng.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	r.lastBatch = batch
	return batch
}

func (r *modelRun) pickRefer() MessageKey {
	switch x := r.pick(100); {
	case x < 3:
		return MessageKey{badIDs[r.pick(len(badIDs))], "c1"}
	case x < 5:
		return MessageKey{r.universe[r.pick(len(r.universe))], ""}
	case x < 85 && len(r.m.keys) > 0:
		return r.m.keys[r.pick(len(r.m.keys))]
	}
	return MessageKey{r.universe[r.pick(len(r.universe))], r.clientID()}
}

func briefMessages(msgs []Message) string {
	var parts []string
	for _, x := range msgs {
		parts = append(parts, fmt.Sprintf("{%s %s from %s t=%d type=%d unread=%v last=%v}", x.ConversationID, x.MessageClientID,
			x.SenderID, x.CreateTime, x.MessageType, x.UnreadEnabled, x.LastMessageUpdateEnabled))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func briefExt(ext string) string {
	if len(ext) > 16 {
		return fmt.Sprintf("<%d bytes>", len(ext))
	}
	return strconv.Quote(ext)
}

func opResults(res []OperationResult, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	var out []refOpResult
	for _, o := range res {
		code := 0
		if o.Error != nil {
			code = o.Error.Code
			if o.Error.Message == "" {
				return nil, fmt.Errorf("operation result for %s has an error without a message", o.ConversationID)
			}
		}
		out = append(out, refOpResult{o.ConversationID, code})
	}
	return out, nil
}

func nilIfEmpty(list []Conversation, err error) (any, error) {
	if len(list) == 0 {
		list = nil
	}
	return list, err
}

type opGen struct {
	weight func(p modelProfile) int
	gen    func(r *modelRun, k int) *modelOp
}

func w(n int) func(modelProfile) int { return func(modelProfile) int { return n } }

var opGens = []opGen{
	{w(24), func(r *modelRun, k int) *modelOp {
		batch := r.genBatch()
		return &modelOp{name: "applyMessages", desc: "applyMessages " + briefMessages(batch), write: true,
			svc: func(s *Service) (any, error) { return s.ApplyMessages(context.Background(), batch) },
			ref: func(m *refModel, tab int) refResult { return m.applyMessages(tab, batch) }}
	}},
	{w(5), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		return &modelOp{name: "createConversation", desc: "createConversation " + id, write: true,
			svc: func(s *Service) (any, error) { return s.CreateConversation(context.Background(), id) },
			ref: func(m *refModel, tab int) refResult { return m.createConversation(id) }}
	}},
	{w(3), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		ext := []string{"", "a", "note", "a", ext64k, ext64kBad}[r.pick(6)]
		return &modelOp{name: "updateConversationLocalExtension", desc: "updateConversationLocalExtension " + id + " " + briefExt(ext), write: true,
			svc: func(s *Service) (any, error) {
				return nil, s.UpdateConversationLocalExtension(context.Background(), id, ext)
			},
			ref: func(m *refModel, tab int) refResult { return m.updateLocalExtension(id, ext) }}
	}},
	{func(p modelProfile) int { return p.deleteWeight }, func(r *modelRun, k int) *modelOp {
		id, clear := r.pickID(), r.chance(40)
		return &modelOp{name: "deleteConversation", desc: fmt.Sprintf("deleteConversation %s clearMessage=%v", id, clear), write: true,
			svc: func(s *Service) (any, error) { return nil, s.DeleteConversation(context.Background(), id, clear) },
			ref: func(m *refModel, tab int) refResult { return m.deleteConversation(id, clear) }}
	}},
	{func(p modelProfile) int { return max(1, p.deleteWeight-1) }, func(r *modelRun, k int) *modelOp {
		n := r.pickCount(MaxDeleteIDs)
		if n == MaxDeleteIDs && r.prof.name == "wide" && r.chance(80) {
			n++ // a valid 100 would wipe out the pins the wide profile piles up
		}
		ids, clear := r.pickIDs(n), r.chance(40)
		return &modelOp{name: "deleteConversationListByIds", desc: fmt.Sprintf("deleteConversationListByIds %d ids %v clearMessage=%v", len(ids), ids[:min(len(ids), 6)], clear), write: true,
			svc: func(s *Service) (any, error) {
				return opResults(s.DeleteConversationListByIds(context.Background(), ids, clear))
			},
			ref: func(m *refModel, tab int) refResult { return m.deleteConversationListByIds(ids, clear) }}
	}},
	{func(p modelProfile) int {
		if p.name == "wide" {
			return 14
		}
		return 5
	}, func(r *modelRun, k int) *modelOp {
		id, pin := r.pickID(), r.chance(r.prof.pinPct)
		if r.prof.name == "wide" && pin && r.chance(70) {
			// Pile up pins on live conversations to reach the limit.
			var unpinned []string
			for _, id := range r.liveIDs() {
				if !r.m.convs[id].pinned {
					unpinned = append(unpinned, id)
				}
			}
			if len(unpinned) > 0 {
				id = unpinned[r.pick(len(unpinned))]
			}
		}
		return &modelOp{name: "stickTopConversation", desc: fmt.Sprintf("stickTopConversation %s %v", id, pin), write: true,
			svc: func(s *Service) (any, error) { return nil, s.StickTopConversation(context.Background(), id, pin) },
			ref: func(m *refModel, tab int) refResult { return m.stickTop(id, pin) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		return &modelOp{name: "getConversation", desc: "getConversation " + id,
			svc: func(s *Service) (any, error) { return s.GetConversation(id) },
			ref: func(m *refModel, tab int) refResult { return m.getConversation(id) }}
	}},
	{w(4), func(r *modelRun, k int) *modelOp {
		tab := r.tabs[k]
		offset, limit, opt := r.pickOffset(tab), r.pickLimit(), r.pickOption(true)
		name := "getConversationList"
		if opt != nil {
			name = "getConversationListByOption"
		}
		return &modelOp{name: name, desc: fmt.Sprintf("%s offset=%v limit=%d option=%+v", name, offset, limit, opt),
			svc: func(s *Service) (any, error) {
				res, err := r.pageCall(s, offset, limit, opt)
				if err == nil && !res.(ConversationResult).Finished {
					tab.offsets = append(tab.offsets, res.(ConversationResult).Offset)
					if len(tab.offsets) > 12 {
						tab.offsets = tab.offsets[1:]
					}
				}
				return res, err
			},
			ref: func(m *refModel, tab int) refResult { return m.page(tab, offset, limit, opt) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		ids := r.pickIDs(r.pickCount(6))
		return &modelOp{name: "getConversationListByIds", desc: fmt.Sprintf("getConversationListByIds %v", ids),
			svc: func(s *Service) (any, error) { return nilIfEmpty(s.GetConversationListByIds(ids)) },
			ref: func(m *refModel, tab int) refResult { return m.getConversationListByIds(ids) }}
	}},
	{w(1), func(r *modelRun, k int) *modelOp {
		return &modelOp{name: "getStickTopConversationList", desc: "getStickTopConversationList",
			svc: func(s *Service) (any, error) { return nilIfEmpty(s.GetStickTopConversationList()) },
			ref: func(m *refModel, tab int) refResult { return m.getStickTopConversationList() }}
	}},
	{w(1), func(r *modelRun, k int) *modelOp {
		return &modelOp{name: "getTotalUnreadCount", desc: "getTotalUnreadCount",
			svc: func(s *Service) (any, error) { return s.GetTotalUnreadCount() },
			ref: func(m *refModel, tab int) refResult { return m.getTotalUnreadCount() }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		ids := r.pickIDs(r.pickCount(6))
		return &modelOp{name: "getUnreadCountByIds", desc: fmt.Sprintf("getUnreadCountByIds %v", ids),
			svc: func(s *Service) (any, error) { return s.GetUnreadCountByIds(ids) },
			ref: func(m *refModel, tab int) refResult { return m.getUnreadCountByIds(ids) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		f := r.pickFilter()
		return &modelOp{name: "getUnreadCountByFilter", desc: fmt.Sprintf("getUnreadCountByFilter %+v", f),
			svc: func(s *Service) (any, error) { return s.GetUnreadCountByFilter(f) },
			ref: func(m *refModel, tab int) refResult { return m.getUnreadCountByFilter(f) }}
	}},
	{w(1), func(r *modelRun, k int) *modelOp {
		return &modelOp{name: "clearTotalUnreadCount", desc: "clearTotalUnreadCount", write: true,
			svc: func(s *Service) (any, error) { return nil, s.ClearTotalUnreadCount(context.Background()) },
			ref: func(m *refModel, tab int) refResult { return m.clearUnreadCountByTypes(nil, false) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		ids := r.pickIDs(r.pickCount(MaxClearIDs))
		return &modelOp{name: "clearUnreadCountByIds", desc: fmt.Sprintf("clearUnreadCountByIds %v", ids), write: true,
			svc: func(s *Service) (any, error) { return opResults(s.ClearUnreadCountByIds(context.Background(), ids)) },
			ref: func(m *refModel, tab int) refResult { return m.clearUnreadCountByIds(ids) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		types := r.pickTypes()
		return &modelOp{name: "clearUnreadCountByTypes", desc: fmt.Sprintf("clearUnreadCountByTypes %v", types), write: true,
			svc: func(s *Service) (any, error) { return nil, s.ClearUnreadCountByTypes(context.Background(), types) },
			ref: func(m *refModel, tab int) refResult { return m.clearUnreadCountByTypes(types, true) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		f := r.pickFilter()
		return &modelOp{name: "subscribeUnreadCountByFilter", desc: fmt.Sprintf("subscribeUnreadCountByFilter %+v", f),
			svc: func(s *Service) (any, error) { return nil, s.SubscribeUnreadCountByFilter(f) },
			ref: func(m *refModel, tab int) refResult { return m.subscribe(tab, f) }}
	}},
	{w(1), func(r *modelRun, k int) *modelOp {
		f := r.pickFilter()
		return &modelOp{name: "unsubscribeUnreadCountByFilter", desc: fmt.Sprintf("unsubscribeUnreadCountByFilter %+v", f),
			svc: func(s *Service) (any, error) { return nil, s.UnsubscribeUnreadCountByFilter(f) },
			ref: func(m *refModel, tab int) refResult { return m.unsubscribe(tab, f) }}
	}},
	{w(4), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		return &modelOp{name: "markConversationRead", desc: "markConversationRead " + id, write: true,
			svc: func(s *Service) (any, error) { return s.MarkConversationRead(context.Background(), id) },
			ref: func(m *refModel, tab int) refResult { return m.markConversationRead(id) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		return &modelOp{name: "getConversationReadTime", desc: "getConversationReadTime " + id,
			svc: func(s *Service) (any, error) { return s.GetConversationReadTime(id) },
			ref: func(m *refModel, tab int) refResult { return m.getConversationReadTime(id) }}
	}},
	{w(4), func(r *modelRun, k int) *modelOp {
		ref := r.pickRefer()
		info := RevokeInfo{[]string{"", me, "bob"}[r.pick(3)], r.pick(3), []string{"", "", "recalled"}[r.pick(3)]}
		return &modelOp{name: "revokeMessage", desc: fmt.Sprintf("revokeMessage %v %+v", ref, info), write: true,
			svc: func(s *Service) (any, error) { return nil, s.RevokeMessage(context.Background(), ref, info) },
			ref: func(m *refModel, tab int) refResult { return m.revokeMessage(ref, info) }}
	}},
	{w(4), func(r *modelRun, k int) *modelOp {
		var refs []MessageKey
		if !r.chance(3) {
			for range 1 + r.pick(4) {
				refs = append(refs, r.pickRefer())
			}
		}
		return &modelOp{name: "deleteMessages", desc: fmt.Sprintf("deleteMessages %v", refs), write: true,
			svc: func(s *Service) (any, error) { return nil, s.DeleteMessages(context.Background(), refs) },
			ref: func(m *refModel, tab int) refResult { return m.deleteMessages(refs) }}
	}},
	{w(3), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		var info ConversationInfo
		if r.chance(60) {
			info.Name = &[]string{"", "Bob", "团队"}[r.pick(3)]
		}
		if r.chance(40) {
			info.Avatar = &[]string{"", "a.png"}[r.pick(2)]
		}
		if r.chance(60) {
			info.Mute = &[]bool{false, true}[r.pick(2)]
		}
		desc := "updateConversationInfo " + id
		if info.Name != nil {
			desc += " name=" + strconv.Quote(*info.Name)
		}
		if info.Avatar != nil {
			desc += " avatar=" + strconv.Quote(*info.Avatar)
		}
		if info.Mute != nil {
			desc += fmt.Sprintf(" mute=%v", *info.Mute)
		}
		return &modelOp{name: "updateConversationInfo", desc: desc, write: true,
			svc: func(s *Service) (any, error) { return nil, s.UpdateConversationInfo(context.Background(), id, info) },
			ref: func(m *refModel, tab int) refResult { return m.updateConversationInfo(id, info) }}
	}},
	{w(3), func(r *modelRun, k int) *modelOp {
		id := ""
		if !r.chance(25) {
			id = r.pickID()
			if id == "" {
				id = "alice|9|u0" // "" means none here; keep it invalid
			}
		}
		return &modelOp{name: "setCurrentConversation", desc: fmt.Sprintf("setCurrentConversation %q", id), write: true,
			svc: func(s *Service) (any, error) { return nil, s.SetCurrentConversation(context.Background(), id) },
			ref: func(m *refModel, tab int) refResult { return m.setCurrentConversation(tab, id) }}
	}},
	{w(4), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		var rt int64
		switch x := r.pick(100); {
		case x < 50:
			if msgs := r.m.msgs[id]; len(msgs) > 0 {
				rt = max(0, msgs[r.pick(len(msgs))].m.CreateTime+int64(r.pick(3))-1)
			} else {
				rt = r.clock.now()
			}
		case x < 75:
			rt = max(0, r.clock.now()-int64(r.pick(100)))
		case x < 95:
			rt = r.pickTime()
		default:
			rt = []int64{-1, 1e15}[r.pick(2)]
		}
		return &modelOp{name: "applyReadTime", desc: fmt.Sprintf("applyReadTime %s %d", id, rt), write: true,
			svc: func(s *Service) (any, error) { return nil, s.ApplyReadTime(context.Background(), id, rt) },
			ref: func(m *refModel, tab int) refResult { return m.applyReadTime(id, rt) }}
	}},
	{w(3), func(r *modelRun, k int) *modelOp {
		id := r.pickID()
		var dt int64
		switch x := r.pick(100); {
		case x < 50:
			// At, just before or just after one of its messages: the clear
			// splits its history there.
			if msgs := r.m.msgs[id]; len(msgs) > 0 {
				dt = max(0, msgs[r.pick(len(msgs))].m.CreateTime+int64(r.pick(3))-1)
			} else {
				dt = r.pickTime()
			}
		case x < 95:
			dt = r.pickTime()
		default:
			dt = []int64{-1, 1e15}[r.pick(2)]
		}
		return &modelOp{name: "applyClearHistory", desc: fmt.Sprintf("applyClearHistory %s %d", id, dt), write: true,
			svc: func(s *Service) (any, error) { return nil, s.ApplyClearHistory(context.Background(), id, dt) },
			ref: func(m *refModel, tab int) refResult { return m.applyClearHistory(id, dt) }}
	}},
	{w(2), func(r *modelRun, k int) *modelOp {
		entries := make([]ConversationReadTime, 1+r.pick(3))
		for i := range entries {
			rt := r.pickTime()
			if r.pick(20) == 0 {
				rt = -1
			}
			entries[i] = ConversationReadTime{r.pickID(), rt}
		}
		return &modelOp{name: "applyReadTimes", desc: fmt.Sprintf("applyReadTimes %v", entries), write: true,
			svc: func(s *Service) (any, error) { return nil, s.ApplyReadTimes(context.Background(), entries) },
			ref: func(m *refModel, tab int) refResult { return m.applyReadTimes(entries) }}
	}},
}

func (r *modelRun) genOp(k int) *modelOp {
	total := 0
	for _, g := range opGens {
		total += g.weight(r.prof)
	}
	x := r.pick(total)
	for _, g := range opGens {
		if x -= g.weight(r.prof); x < 0 {
			return g.gen(r, k)
		}
	}
	panic("unreachable")
}

// --- focused tests ---

// countStored is docs/api.md §3's count of a conversation's stored messages that
// count as unread, read from the database.
func countStored(db *MemDB, id string) int {
	rec := db.Conversations()[id]
	n := 0
	for _, m := range db.Messages(id) {
		if !m.Deleted && !m.Revoked && m.SenderID != me && m.UnreadEnabled && m.CreateTime > rec.ReadTime {
			n++
		}
	}
	return n
}

func TestModelApplyMessagesCountsEachMessageOnce(t *testing.T) {
	db := NewMemDB()
	tab1, tab2 := newFixtureOn(t, db), newFixtureOn(t, db)
	bob, t1 := p2p("bob"), team("t1")
	a := []Message{msg(bob, "m1", 100), msg(bob, "m2", 200), msg(t1, "m3", 150)}
	require.Equal(t, ApplyResult{Applied: 3}, tab1.apply(a...))
	tab1.ev.take()

	// The same batch again changes nothing and says nothing.
	require.Equal(t, ApplyResult{Duplicates: 3}, tab1.apply(a...))
	require.Empty(t, tab1.ev.take())

	// An overlapping batch, with a duplicate inside it, counts only what is new.
	b := []Message{a[1], msg(bob, "m4", 50), a[2], msg(bob, "m4", 60)}
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 3}, tab1.apply(b...))
	require.EqualValues(t, 4, tab1.total())

	// Another tab applying all of it again counts nothing more.
	require.Equal(t, ApplyResult{Duplicates: 7}, tab2.apply(append(slices.Clone(a), b...)...))
	tab2.h.catchUp(tab2.ctx)
	require.EqualValues(t, 4, tab2.total())
	tab1.h.catchUp(tab1.ctx)
	require.EqualValues(t, 4, tab1.total())
	require.Equal(t, 3, tab1.conv(bob).UnreadCount)
	require.Equal(t, 3, countStored(db, bob))

	// Revoked and deleted messages stay known.
	require.NoError(t, tab1.RevokeMessage(tab1.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"}))
	require.NoError(t, tab1.DeleteMessages(tab1.ctx, []MessageKey{{bob, "m2"}}))
	require.Equal(t, ApplyResult{Duplicates: 2}, tab2.apply(a[0], a[1]))
	require.Equal(t, 1, tab1.conv(bob).UnreadCount)
	require.Equal(t, 1, countStored(db, bob))

	// So do the messages of a conversation deleted with them: applying them
	// again brings neither the conversation nor their unread back.
	require.NoError(t, tab1.DeleteConversation(tab1.ctx, bob, true))
	require.Equal(t, ApplyResult{Duplicates: 3}, tab2.apply(a[0], a[1], b[1]))
	_, err := tab1.GetConversation(bob)
	requireCode(t, CodeInvalidParam, err)
	require.EqualValues(t, 1, tab1.total())
	tab2.h.catchUp(tab2.ctx)
	require.EqualValues(t, 1, tab2.total())
}

// TestModelTabsApplyConcurrentlyCountOnce has three tabs apply overlapping
// batches at the same time: every message counts once, in every tab.
func TestModelTabsApplyConcurrentlyCountOnce(t *testing.T) {
	db := NewMemDB()
	tabs := []*fixture{newFixtureOn(t, db), newFixtureOn(t, db), newFixtureOn(t, db)}
	var pool []Message
	for i := range 60 {
		conv := []string{p2p("u0"), p2p("u1"), team("t0"), superTeam("s0")}[i%4]
		pool = append(pool, msg(conv, "m"+strconv.Itoa(i), int64(100+i%7)))
	}
	var wg sync.WaitGroup
	applied := make([]int, len(tabs))
	errs := make([]error, len(tabs))
	for k, tab := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(k), 1))
			for range 40 {
				var batch []Message
				for range 1 + rng.IntN(8) {
					batch = append(batch, pool[rng.IntN(len(pool))])
				}
				res, err := tab.ApplyMessages(tab.ctx, batch)
				if err != nil {
					errs[k] = err
					return
				}
				applied[k] += res.Applied
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	distinct := 0
	perConv := map[string]int{}
	for _, m := range pool {
		if len(db.Messages(m.ConversationID)) > 0 && slices.ContainsFunc(db.Messages(m.ConversationID), func(r MessageRecord) bool {
			return r.MessageClientID == m.MessageClientID
		}) {
			distinct++
			perConv[m.ConversationID]++
		}
	}
	require.Equal(t, distinct, applied[0]+applied[1]+applied[2], "every message is applied exactly once")
	for k, tab := range tabs {
		tab.h.catchUp(tab.ctx)
		require.EqualValues(t, distinct, tab.total(), "tab %d", k)
		for id, n := range perConv {
			require.Equal(t, n, tab.conv(id).UnreadCount, "tab %d %s", k, id)
			require.Equal(t, n, countStored(db, id), "%s", id)
		}
	}
}

// TestModelStorageFailureChangesNothing: a failed transaction leaves the
// cache, the database and the events exactly as before.
func TestModelStorageFailureChangesNothing(t *testing.T) {
	f := newFixture(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200))
	require.NoError(t, f.SubscribeUnreadCountByFilter(Filter{ConversationTypes: []ConversationType{TypeP2P}}))
	f.ev.take()
	before, dbBefore, seq := f.conv(bob), f.db.Conversations(), f.db.Seq()
	calls := map[string]func() error{
		"applyMessages": func() error { _, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "m3", 300)}); return err },
		"markConversationRead": func() error {
			_, err := f.MarkConversationRead(f.ctx, bob)
			return err
		},
		"deleteConversation":     func() error { return f.DeleteConversation(f.ctx, bob, true) },
		"stickTopConversation":   func() error { return f.StickTopConversation(f.ctx, bob, true) },
		"clearTotalUnreadCount":  func() error { return f.ClearTotalUnreadCount(f.ctx) },
		"setCurrentConversation": func() error { return f.SetCurrentConversation(f.ctx, bob) },
		"revokeMessage": func() error {
			return f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, RevokeInfo{RevokeAccountID: "bob"})
		},
		"deleteMessages":    func() error { return f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}) },
		"applyReadTime":     func() error { return f.ApplyReadTime(f.ctx, bob, 150) },
		"applyClearHistory": func() error { return f.ApplyClearHistory(f.ctx, bob, 150) },
		"applyReadTimes":    func() error { return f.ApplyReadTimes(f.ctx, []ConversationReadTime{{bob, 150}}) },
		"createNew":         func() error { _, err := f.CreateConversation(f.ctx, p2p("carol")); return err },
		"updateInfo":        func() error { return f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Mute: &[]bool{true}[0]}) },
		"updateExtension":   func() error { return f.UpdateConversationLocalExtension(f.ctx, bob, "x") },
	}
	for _, name := range sortedIDs(calls) {
		f.db.failNextUpdate(errInjected)
		requireCode(t, CodeInternal, calls[name]())
		require.Equal(t, before, f.conv(bob), name)
		require.Equal(t, dbBefore, f.db.Conversations(), name)
		require.Equal(t, seq, f.db.Seq(), name)
		require.Empty(t, f.ev.take(), name)
		require.EqualValues(t, 2, f.total(), name)
		require.Equal(t, 2, countStored(f.db, bob), name)
	}
	// The current conversation did not change either: a new message counts.
	f.apply(msg(bob, "m3", 300))
	require.Equal(t, 3, f.conv(bob).UnreadCount)
}

// waitQuiet waits until every Service is up to the database and none has
// unread messages left in its current conversation, and every catch-up has
// emitted its events.
func waitQuiet(t *testing.T, db *MemDB, services []*Service) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		quiet := true
		seq := db.Seq()
		for _, s := range services {
			s.h.mu.RLock()
			cur := s.h.cache.convs[s.current]
			if s.h.cache.seq != seq || (cur != nil && cur.UnreadCount > 0) {
				quiet = false
			}
			s.h.mu.RUnlock()
		}
		if quiet {
			break
		}
		require.False(t, time.Now().After(deadline), "the tabs did not settle within 5s")
		time.Sleep(50 * time.Microsecond)
	}
	for _, s := range services {
		s.h.writeMu.Lock()
		s.h.writeMu.Unlock() //nolint:staticcheck // empty on purpose: waits for a catch-up to finish
	}
}

// TestModelTabsConcurrentStayConsistent has three tabs make random calls at
// the same time, as the tabs of one browser do, with their Watch goroutines
// catching up as they please. Once they settle, every tab agrees with the
// database, docs/api.md §3's invariant holds in every tab, and each tab's events,
// replayed from the start, rebuild its list and counts.
func TestModelTabsConcurrentStayConsistent(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			db := NewMemDB()
			clk := &clock{t: 1000}
			var services []*Service
			var recs []*recorder
			for range 3 {
				ev := &recorder{}
				s, err := Open(context.Background(), Options{AccountID: me, Store: db.Connect(), Listener: ev.listen, Now: clk.now, KeepNewest: 2, TailHead: 2})
				require.NoError(t, err)
				t.Cleanup(func() { _ = s.Close() })
				services, recs = append(services, s), append(recs, ev)
			}
			ids := []string{p2p("u0"), p2p("u1"), team("t0"), team("t1"), superTeam("s0")}
			message := func(id string, i int) Message {
				// Around the clock: a deleted conversation comes back only for a
				// message newer than its deletion (docs/api.md, applyMessages).
				x := msg(id, "m"+strconv.Itoa(i), clk.now()-200+int64((i*37)%400))
				if i%4 == 0 {
					x.SenderID = me
				}
				x.UnreadEnabled = i%7 != 0
				x.LastMessageUpdateEnabled = i%9 != 0
				return x
			}
			filters := []Filter{{IgnoreMuted: true}, {ConversationTypes: []ConversationType{TypeTeam, TypeSuperTeam}}}
			var wg sync.WaitGroup
			errs := make([]error, len(services))
			for k, s := range services {
				require.NoError(t, s.SubscribeUnreadCountByFilter(filters[k%2]))
				wg.Go(func() {
					ctx := context.Background()
					rng := rand.New(rand.NewPCG(seed, uint64(k)))
					for range 400 {
						clk.set(clk.now() + int64(rng.IntN(3)))
						id := ids[rng.IntN(len(ids))]
						var err error
						switch rng.IntN(14) {
						case 0, 1, 2, 3:
							var batch []Message
							for range 1 + rng.IntN(4) {
								batch = append(batch, message(ids[rng.IntN(len(ids))], rng.IntN(60)))
							}
							_, err = s.ApplyMessages(ctx, batch)
						case 4:
							_, err = s.MarkConversationRead(ctx, id)
						case 5:
							err = s.ClearTotalUnreadCount(ctx)
						case 6:
							_, err = s.ClearUnreadCountByIds(ctx, []string{id, ids[rng.IntN(len(ids))]})
						case 7:
							err = s.DeleteConversation(ctx, id, rng.IntN(2) == 0)
						case 8:
							if rng.IntN(3) == 0 {
								id = ""
							}
							err = s.SetCurrentConversation(ctx, id)
						case 9:
							err = s.RevokeMessage(ctx, MessageKey{id, "m" + strconv.Itoa(rng.IntN(60))}, RevokeInfo{RevokeAccountID: "bob"})
						case 10:
							err = s.DeleteMessages(ctx, []MessageKey{{id, "m" + strconv.Itoa(rng.IntN(60))}})
						case 11:
							err = s.ApplyReadTime(ctx, id, int64(1000+rng.IntN(400)))
						case 12:
							err = s.StickTopConversation(ctx, id, rng.IntN(2) == 0)
						case 13:
							mute := rng.IntN(2) == 0
							err = s.UpdateConversationInfo(ctx, id, ConversationInfo{Mute: &mute})
						}
						if e := AsError(err); e != nil && e.Code != CodeInvalidParam {
							errs[k] = err // only a missing conversation or message may fail
							return
						}
					}
				})
			}
			wg.Wait()
			for _, err := range errs {
				require.NoError(t, err)
			}
			waitQuiet(t, db, services)
			require.Greater(t, db.Seq(), uint64(150), "the tabs changed little; the test exercises nothing")

			stored := db.Conversations()
			current := map[string]bool{}
			for _, s := range services {
				current[s.current] = true
			}
			live := map[string]Conversation{}
			for id, rec := range stored {
				if !rec.live() {
					continue
				}
				live[id] = rec.Conversation
				n := 0
				if !current[id] {
					n = storedUnread(db, id, rec.ReadTime)
				}
				require.Equal(t, n, rec.UnreadCount, "unreadCount of %s against its stored messages", id)
			}
			for k, s := range services {
				s.h.mu.RLock()
				cached := map[string]Conversation{}
				for id, r := range s.h.cache.convs {
					cached[id] = r.Conversation
					require.Equal(t, stored[id].ReadTime, r.ReadTime, "tab %d read time of %s", k, id)
				}
				s.h.mu.RUnlock()
				require.Equal(t, shorten(live), shorten(cached), "tab %d caches the database", k)

				rp := &replayState{convs: map[string]Conversation{}, filters: map[string]int64{}}
				require.NoError(t, rp.apply(slices.DeleteFunc(recs[k].take(), func(e Event) bool {
					return e.Type == EventSyncStarted || e.Type == EventSyncFinished
				})), "tab %d", k)
				require.Equal(t, live, rp.convs, "tab %d list rebuilt from its events", k)
				total, err := s.GetTotalUnreadCount()
				require.NoError(t, err)
				require.Equal(t, snapshotTotal(live), total, "tab %d total", k)
				require.Equal(t, total, rp.total, "tab %d total from its events", k)
				f, _ := checkFilter(filters[k%2])
				n, err := s.GetUnreadCountByFilter(f)
				require.NoError(t, err)
				require.Equal(t, snapshotFilter(live, f), n, "tab %d filter count", k)
				require.Equal(t, n, rp.filters[filterKey(f)], "tab %d filter count from its events", k)
			}
		})
	}
}
