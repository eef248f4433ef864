package storetest_test

import (
	"context"
	"iter"
	"slices"
	"sync"
	"testing"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/core/storetest"
)

func TestMemStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() core.Store {
		return core.NewMemDB().Connect
	})
}

// The optional parts run natively too, on a MemDB whose connections keep a
// first page and a snapshot's bookkeeping beside it (the MemDB itself keeps
// neither: its Load reads every record at no cost), so that a change to them
// is checked without a browser, and they are known to hold for more than the
// IndexedDB store.
func TestMemStoreWithOptionalParts(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() core.Store {
		db, k := core.NewMemDB(), &kept{}
		return func() core.Store { return &keeping{Store: db.Connect(), k: k} }
	})
}

// kept is what keeping's connections to one database share.
type kept struct {
	mu   sync.Mutex
	page []byte
	// since counts the conversation records written since the last
	// snapshot, live how many the last snapshot held.
	since, live int
}

type keeping struct {
	core.Store
	k *kept
}

var _ core.SnapshotStore = (*keeping)(nil)

// SnapshotDue: one pays once more records were written since the last one
// than it held, or at a close, once any were.
func (s *keeping) SnapshotDue(closing bool) bool {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	if closing {
		return s.k.since > 0
	}
	return s.k.since > s.k.live
}

func (s *keeping) Update(ctx context.Context, fn func(core.Tx) error) error {
	return s.run(ctx, s.Store.Update, fn)
}

func (s *keeping) View(ctx context.Context, fn func(core.Tx) error) error {
	return s.run(ctx, s.Store.View, fn)
}

// run stages the transaction's page and counts, and keeps them once it
// committed.
func (s *keeping) run(ctx context.Context, run func(context.Context, func(core.Tx) error) error, fn func(core.Tx) error) error {
	s.k.mu.Lock()
	x := &keepingTx{page: slices.Clone(s.k.page), since: s.k.since, live: s.k.live}
	s.k.mu.Unlock()
	err := run(ctx, func(tx core.Tx) error { x.Tx = tx; return fn(x) })
	if err == nil {
		s.k.mu.Lock()
		s.k.page, s.k.since, s.k.live = x.page, x.since, x.live
		s.k.mu.Unlock()
	}
	return err
}

type keepingTx struct {
	core.Tx
	page        []byte
	since, live int
}

func (x *keepingTx) SetSeq(seq uint64) error {
	x.page = nil
	return x.Tx.SetSeq(seq)
}

func (x *keepingTx) PutConversations(recs []*core.ConversationRecord, tails []*core.Tail) error {
	x.since += len(recs)
	return x.Tx.PutConversations(recs, tails)
}

// keptSnapshot is a snapshot's bookkeeping: how many records it holds, and
// how many had been written when it was taken (those are in it).
type keptSnapshot struct{ count, since int }

func (keptSnapshot) Encode(func()) {}

func (s *keeping) NewSnapshot(_ uint64, n int, _ iter.Seq[*core.ConversationRecord]) core.Snapshot {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	return keptSnapshot{count: n, since: s.k.since}
}

func (x *keepingTx) PutSnapshot(snap core.Snapshot) error {
	ks := snap.(keptSnapshot)
	x.since, x.live = x.since-ks.since, ks.count
	return nil
}

func (x *keepingTx) PutFirstPage(page []byte) error {
	x.page = slices.Clone(page)
	return nil
}

func (x *keepingTx) FirstPage() ([]byte, error) { return slices.Clone(x.page), nil }
