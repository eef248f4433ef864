//go:build unix

package core

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Each benchmark measures one operation at 1k, 10k and 100k conversations on
// the in-memory store; the setup (outside the timer) copies a list built once
// per size. Run them with
//
//	go test -run '^$' -bench . -benchmem ./core/
//
// Besides ns/op (wall clock) each reports cpu-ns/op, the CPU time the process
// spent per operation (getrusage: every thread, the GC's included). On a
// machine that others share, wall-clock time mostly measures the others.

var benchSizes = []int{1_000, 10_000, 100_000}

const (
	benchFirstMessage = int64(1_600_000_000_000) // createTime of the oldest message
	benchClockStart   = int64(1_700_000_000_000) // after every message of the template
	benchPinned       = 50
	benchPage         = 100
)

// benchFilters are the 10 subscribed filters of every benchmark.
var benchFilters = []Filter{
	{ConversationTypes: []ConversationType{1}},
	{ConversationTypes: []ConversationType{2}},
	{ConversationTypes: []ConversationType{3}},
	{ConversationTypes: []ConversationType{1, 2}},
	{ConversationTypes: []ConversationType{2, 3}},
	{ConversationTypes: []ConversationType{1}, IgnoreMuted: true},
	{ConversationTypes: []ConversationType{2}, IgnoreMuted: true},
	{ConversationTypes: []ConversationType{1, 3}, IgnoreMuted: true},
	{ConversationTypes: []ConversationType{1, 2, 3}},
	{IgnoreMuted: true},
}

// benchID is the id of the template's i-th conversation (types in turn).
func benchID(i int) string {
	return fmt.Sprintf("%s|%d|c%06d", me, i%3+1, i)
}

// benchMessage is a message from the peer (from someone in a team) to the
// template's i-th conversation.
func benchMessage(i int, clientID string, createTime int64) Message {
	from := "peer"
	if i%3 == 0 { // P2P
		from = fmt.Sprintf("c%06d", i)
	}
	return msg(benchID(i), clientID, createTime, from)
}

// benchMine reports whether the template's i-th message is mine (one in three
// of each type) rather than unread.
func benchMine(i int) bool { return i%9 < 3 }

var (
	benchTemplatesMu sync.Mutex
	benchTemplates   = map[int]*MemDB{}
)

// benchTemplate is a database of n conversations with one message each, made
// through ApplyMessages (10,000 messages a call): two in three messages are
// from the peer (unread), one in three is mine; two conversations share each
// createTime; every fifth conversation is muted and benchPinned are pinned.
func benchTemplate(b *testing.B, n int) *MemDB {
	benchTemplatesMu.Lock()
	defer benchTemplatesMu.Unlock()
	if db := benchTemplates[n]; db != nil {
		return db
	}
	db := NewMemDB()
	ctx := context.Background()
	s, err := Open(ctx, Options{AccountID: me, Store: db.Connect(), Now: func() int64 { return benchClockStart }})
	require.NoError(b, err)
	for start := 0; start < n; start += MaxListLength {
		batch := make([]Message, 0, MaxListLength)
		for i := start; i < min(n, start+MaxListLength); i++ {
			m := benchMessage(i, fmt.Sprintf("t%d", i), benchFirstMessage+int64(i/2)*10)
			if benchMine(i) {
				m.SenderID = me
			}
			batch = append(batch, m)
		}
		_, err := s.ApplyMessages(ctx, batch)
		require.NoError(b, err)
	}
	require.NoError(b, s.Close())
	// Mute and pin by editing the records: the template is nobody's yet.
	for i := 0; i < n; i++ {
		id := benchID(i)
		if i%5 != 0 && i%(n/benchPinned) != 0 {
			continue
		}
		r := db.convs[id].clone()
		r.Mute = i%5 == 0
		if i%(n/benchPinned) == 0 {
			r.StickTop = true
			r.SortOrder += pinBoost
		}
		db.convs[id] = r
	}
	benchTemplates[n] = db
	return db
}

// copyMemDB copies a database that nobody is connected to. Records are never
// modified in place, so they are shared.
func copyMemDB(db *MemDB) *MemDB {
	c := NewMemDB()
	c.seq = db.seq
	c.convs = maps.Clone(db.convs)
	for seq, ids := range db.bySeq {
		c.bySeq[seq] = maps.Clone(ids)
	}
	for id, tl := range db.tails {
		c.tails[id] = tl.clone()
	}
	return c
}

type benchEnv struct {
	*Service
	db    *MemDB
	ctx   context.Context
	n     int
	ids   []string // benchID(i)
	clock atomic.Int64
}

// newBenchEnv opens a Service on a copy of the n-conversation template with
// the 10 filters subscribed, and collects the garbage of the setup.
func newBenchEnv(b *testing.B, n int) *benchEnv {
	e := &benchEnv{db: copyMemDB(benchTemplate(b, n)), ctx: context.Background(), n: n}
	e.clock.Store(benchClockStart)
	for i := range n {
		e.ids = append(e.ids, benchID(i))
	}
	s, err := Open(e.ctx, Options{AccountID: me, Store: e.db.Connect(), Now: func() int64 { return e.clock.Add(1) }})
	require.NoError(b, err)
	e.Service = s
	for _, f := range benchFilters {
		require.NoError(b, s.SubscribeUnreadCountByFilter(f))
	}
	b.Cleanup(func() { _ = s.Close() })
	runtime.GC()
	return e
}

// sortOrderAt is the sortOrder of the template's i-th conversation (i = 0 is
// the oldest, at the bottom of the list).
func (e *benchEnv) sortOrderAt(b *testing.B, i int) int64 {
	c, err := e.GetConversation(benchID(i))
	require.NoError(b, err)
	return c.SortOrder
}

// fullPage returns a check that a benchmark measures a full page.
func fullPage(b *testing.B) func(ConversationResult, error) ConversationResult {
	return func(r ConversationResult, err error) ConversationResult {
		require.NoError(b, err)
		require.Len(b, r.ConversationList, benchPage)
		require.False(b, r.Finished)
		return r
	}
}

// cpuMeter adds up the process's CPU time while it runs.
type cpuMeter struct{ used, from time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (m *cpuMeter) start() { m.from = processCPU() }
func (m *cpuMeter) stop()  { m.used += processCPU() - m.from }

// measure runs op in a b.Loop and reports its CPU time per operation.
func measure(b *testing.B, op func()) {
	measureWith(b, func(*cpuMeter) { op() })
}

// measureWith is measure for an op that pauses both clocks (see untimed).
func measureWith(b *testing.B, op func(m *cpuMeter)) {
	var m cpuMeter
	m.start()
	for b.Loop() {
		op(&m)
	}
	m.stop()
	b.ReportMetric(float64(m.used.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// untimed runs fn with both clocks stopped (the CPU clock outside the
// timer's own work, which reads the memory statistics).
func untimed(b *testing.B, m *cpuMeter, fn func()) {
	m.stop()
	b.StopTimer()
	fn()
	b.StartTimer()
	m.start()
}

func benchSizesRun(b *testing.B, fn func(b *testing.B, e *benchEnv)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			fn(b, newBenchEnv(b, n))
		})
	}
}

// BenchmarkPageFirst: getConversationList(0, 100), the top of the list.
func BenchmarkPageFirst(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		fullPage(b)(e.GetConversationList(0, benchPage))
		measure(b, func() {
			_, _ = e.GetConversationList(0, benchPage)
		})
	})
}

// BenchmarkPageMiddle: the page after one in the middle of the list, through
// the offset that page handed out (a remembered offset).
func BenchmarkPageMiddle(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		r := fullPage(b)(e.GetConversationList(float64(e.sortOrderAt(b, e.n/2)), benchPage))
		offset := r.Offset
		fullPage(b)(e.GetConversationList(offset, benchPage))
		measure(b, func() {
			_, _ = e.GetConversationList(offset, benchPage)
		})
	})
}

// BenchmarkPageDeep: a page from an arbitrary offset (never handed out) near
// the bottom of the list.
func BenchmarkPageDeep(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		offset := float64(e.sortOrderAt(b, e.n/10)) + 5
		fullPage(b)(e.GetConversationList(offset, benchPage))
		measure(b, func() {
			_, _ = e.GetConversationList(offset, benchPage)
		})
	})
}

// BenchmarkPageOnlyUnread: getConversationListByOption with onlyUnread and
// two of the three types, from an arbitrary offset in the middle.
func BenchmarkPageOnlyUnread(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		offset := float64(e.sortOrderAt(b, e.n/2))
		opt := Option{ConversationTypes: []ConversationType{TypeP2P, TypeTeam}, OnlyUnread: true}
		fullPage(b)(e.GetConversationListByOption(offset, benchPage, opt))
		measure(b, func() {
			_, _ = e.GetConversationListByOption(offset, benchPage, opt)
		})
	})
}

// BenchmarkCallGetConversationList: getConversationList(0, 100) the way the
// wasm bridge calls it, JSON in and out.
func BenchmarkCallGetConversationList(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		args := []byte(`[0,100]`)
		out, err := e.Call(e.ctx, "getConversationList", args)
		require.NoError(b, err)
		require.Contains(b, string(out), `"finished":false`)
		measure(b, func() {
			_, _ = e.Call(e.ctx, "getConversationList", args)
		})
	})
}

// BenchmarkApplyMessages: one applyMessages of 100 new messages, 50 to
// conversations spread over the list and 50 that create conversations (which
// are deleted again outside the timer, so the list keeps its size).
func BenchmarkApplyMessages(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		k := 0
		batch := func() ([]Message, []string) {
			msgs := make([]Message, 0, 100)
			var created []string
			for j := range 50 {
				i := (k*50 + j) * 7919 % e.n
				msgs = append(msgs, benchMessage(i, fmt.Sprintf("b%d-%d", k, j), e.clock.Add(1)))
				id := team(fmt.Sprintf("new%d-%d", k, j))
				created = append(created, id)
				msgs = append(msgs, msg(id, "n1", e.clock.Add(1)))
			}
			k++
			return msgs, created
		}
		msgs, created := batch()
		res, err := e.ApplyMessages(e.ctx, msgs)
		require.NoError(b, err)
		require.Equal(b, ApplyResult{Applied: 100}, res)
		_, err = e.DeleteConversationListByIds(e.ctx, created, false)
		require.NoError(b, err)
		measureWith(b, func(m *cpuMeter) {
			var msgs []Message
			var created []string
			untimed(b, m, func() { msgs, created = batch() })
			_, _ = e.ApplyMessages(e.ctx, msgs)
			untimed(b, m, func() { _, _ = e.DeleteConversationListByIds(e.ctx, created, false) })
		})
	})
}

// BenchmarkTotalUnreadCount: getTotalUnreadCount.
func BenchmarkTotalUnreadCount(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		n, err := e.GetTotalUnreadCount()
		require.NoError(b, err)
		want := 0
		for i := range e.n {
			if !benchMine(i) {
				want++
			}
		}
		require.EqualValues(b, want, n)
		measure(b, func() {
			_, _ = e.GetTotalUnreadCount()
		})
	})
}

// BenchmarkUnreadCountByFilter: getUnreadCountByFilter with 10 filters subscribed.
func BenchmarkUnreadCountByFilter(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		f := Filter{ConversationTypes: []ConversationType{TypeTeam, TypeP2P}, IgnoreMuted: true}
		n, err := e.GetUnreadCountByFilter(f)
		require.NoError(b, err)
		require.Positive(b, n)
		measure(b, func() {
			_, _ = e.GetUnreadCountByFilter(f)
		})
	})
}

// BenchmarkStickTop: stickTopConversation, pinning and unpinning in turn
// conversations spread over the list (one call an operation).
func BenchmarkStickTop(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		k := 0
		next := func() (string, bool) {
			id, pin := e.ids[(k/2*7919+1)%e.n], k%2 == 0
			k++
			return id, pin
		}
		id, pin := next()
		require.NoError(b, e.StickTopConversation(e.ctx, id, pin))
		id, pin = next()
		require.NoError(b, e.StickTopConversation(e.ctx, id, pin))
		measure(b, func() {
			id, pin := next()
			_ = e.StickTopConversation(e.ctx, id, pin)
		})
	})
}

// BenchmarkDeleteConversation: deleteConversation of one conversation, which
// comes back (by a new message) outside the timer.
func BenchmarkDeleteConversation(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, e *benchEnv) {
		k := 0
		restore := func(id string) {
			_, err := e.ApplyMessages(e.ctx, []Message{msg(id, fmt.Sprintf("r%d", k), e.clock.Add(1), me)})
			if err != nil {
				b.Fatal(err)
			}
		}
		id := e.ids[7919%e.n]
		require.NoError(b, e.DeleteConversation(e.ctx, id, false))
		restore(id)
		measureWith(b, func(m *cpuMeter) {
			k++
			id := e.ids[k*7919%e.n]
			_ = e.DeleteConversation(e.ctx, id, false)
			untimed(b, m, func() { restore(id) })
		})
	})
}

// BenchmarkCallRejectsHugeArray: a million ids, rejected with 191004 without
// being decoded.
func BenchmarkCallRejectsHugeArray(b *testing.B) {
	e := newBenchEnv(b, benchSizes[0])
	args := jsArgs(b, hugeIDs())
	b.SetBytes(int64(len(args)))
	b.ReportAllocs()
	measure(b, func() {
		if _, err := e.Call(e.ctx, "getUnreadCountByIds", args); err == nil {
			b.Fatal("a million ids were taken")
		}
	})
}

// BenchmarkClearTotalUnreadCount: clearTotalUnreadCount with every
// conversation unread, its events encoded as the bridge encodes them. Each
// round opens a fresh copy (untimed).
func BenchmarkClearTotalUnreadCount(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var encoded int
			listen := func(events []Event) {
				EncodeEventGroups(events, 256<<10, func(p []byte) { encoded += len(p) })
			}
			measureWith(b, func(m *cpuMeter) {
				var s *Service
				untimed(b, m, func() {
					db := copyMemDB(benchTemplate(b, n))
					var err error
					s, err = Open(context.Background(), Options{AccountID: me, Store: db.Connect(), Listener: listen,
						Now: func() int64 { return benchClockStart + 1 }})
					require.NoError(b, err)
					runtime.GC()
				})
				require.NoError(b, s.ClearTotalUnreadCount(context.Background()))
				untimed(b, m, func() { _ = s.Close() })
			})
			b.ReportMetric(float64(encoded)/float64(b.N), "event-bytes/op")
		})
	}
}
