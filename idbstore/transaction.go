//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// transaction is a core.Tx on one IndexedDB transaction, from run's begin to
// its commit. Its methods (operations.go, meta.go, snapshot.go) make requests
// and wait only for those, so the transaction stays alive (docs/design.md,
// "Transaction lifetime"). Writes are not waited for: requests run in order,
// so later reads see them, and a failed write aborts the transaction, which
// run reports.
type transaction struct {
	tx       *idb.Tx
	s        *Store
	writable bool

	seq uint64
	// wroteConversations: the commit is news for other connections.
	wroteConversations bool
	// conversationsPut and snapshot (the one put, if any) feed SnapshotDue.
	conversationsPut int
	snapshot         *listSnapshot
	// legacy are the conversations whose messages Tails read from the
	// messages store (legacy.go).
	legacy map[string]bool
}

// Update runs fn in one read-write transaction. It returns once the
// transaction completed; if fn fails, or the transaction aborts (quota, a
// failed write), it returns an error and nothing of fn is stored. ctx ends
// fn's waits (and so aborts); once fn returned, Update waits for the outcome
// of the commit whatever ctx says, so that its answer is true.
func (s *Store) Update(ctx context.Context, fn func(core.Tx) error) error {
	return s.run(ctx, idb.ReadWrite, fn)
}

// View runs fn in one read-only transaction.
func (s *Store) View(ctx context.Context, fn func(core.Tx) error) error {
	return s.run(ctx, idb.ReadOnly, fn)
}

// testHookBeforeCommit, if set, runs after an Update's closure succeeded,
// before the commit: tests use it to make the commit fail.
var testHookBeforeCommit func(*idb.Tx)

func (s *Store) run(ctx context.Context, mode idb.Mode, fn func(core.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db, err := s.ready(ctx)
	if err != nil {
		return err
	}
	tx, err := db.Begin(ctx, mode, allStores...)
	if err != nil {
		if lost := s.lostErr(); lost != nil {
			return lost
		}
		if s.isClosed() {
			return s.errorf("%w", ErrClosed)
		}
		return s.errorf("starting a transaction: %w", err)
	}
	x := &transaction{tx: tx, s: s, writable: mode == idb.ReadWrite}
	// Every way out that is not a clean return of fn — a panic above all —
	// aborts, so the writes fn issued are never left to commit on their own
	// (as bbolt's Update rolls back in a deferred call).
	clean := false
	defer func() {
		if !clean {
			_ = tx.Abort()
		}
	}()
	err = x.begin()
	if err == nil {
		err = fn(x)
	}
	clean = true
	if err != nil {
		if abortErr := tx.Abort(); abortErr != nil {
			// Already over: aborted by a failed request, or committed because
			// the closure waited on something other than its own requests.
			if tx.Wait() == nil {
				return s.errorf("%w; yet the transaction had already committed (its closure must wait on nothing but its own requests)", err)
			}
		}
		return err
	}
	if mode == idb.ReadWrite && testHookBeforeCommit != nil {
		testHookBeforeCommit(tx)
	}
	// Tell the other connections before committing, while this transaction
	// still holds its scope: the catch-up a message starts is a transaction
	// created after this one with an overlapping scope, which IndexedDB starts
	// only once this one has finished, so it reads the outcome (the commit, or
	// nothing if it aborts). Told after the commit, the news would be lost
	// whenever the tab closed or crashed in between. (A crash can still lose
	// the message, which travels apart from the commit: tabs.go polls for
	// those.)
	if x.wroteConversations {
		s.watchers.post(x.seq)
	}
	tx.Commit()
	if err := tx.Wait(); err != nil {
		if lost := s.lostErr(); lost != nil {
			return fmt.Errorf("%w (the transaction did not commit: %v)", lost, err)
		}
		return s.errorf("the transaction did not commit, nothing of it was stored: %w", err)
	}
	if x.snapshot != nil {
		s.snapshotStored(x.snapshot)
	}
	s.snap.sinceSnapshot.Add(int64(x.conversationsPut))
	s.noteSeq(x.seq) // committed: the poll need not tell of it
	return nil
}

// begin reads the change sequence, which every database has (claim). It
// anchors the transaction on it: the raw requests, batches above all, need
// that (internal/idb's Tx.Anchor).
func (x *transaction) begin() error {
	v, err := x.tx.Anchor(storeMeta, metaSeq)
	if err != nil {
		return err
	}
	if v.Missing() {
		return fmt.Errorf("the database has no change sequence record (meta %q)", metaSeq)
	}
	x.seq, err = seqOf(v)
	return err
}
