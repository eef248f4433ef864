//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"

	"github.com/hack-pad/go-indexeddb/idb"

	"github.com/localconv/localconv/core"
)

// Update runs fn in one read-write transaction. It returns once the
// transaction completed; if fn fails, or the transaction aborts (quota, a
// failed write), it returns an error and nothing of fn is stored. ctx ends
// fn's waits (and so aborts); once fn returned, Update waits for the outcome
// of the commit whatever ctx says, so that its answer is true.
func (s *Store) Update(ctx context.Context, fn func(core.Tx) error) error {
	return s.run(ctx, idb.TransactionReadWrite, fn)
}

// View runs fn in one read-only transaction.
func (s *Store) View(ctx context.Context, fn func(core.Tx) error) error {
	return s.run(ctx, idb.TransactionReadOnly, fn)
}

// testHookBeforeCommit, if set, runs after an Update's closure succeeded,
// before the commit: tests use it to make the commit fail.
var testHookBeforeCommit func(*idb.Transaction)

func (s *Store) run(ctx context.Context, mode idb.TransactionMode, fn func(core.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := s.ready(ctx)
	if err != nil {
		return err
	}
	t, err := c.db.Transaction(mode, allStores[0], allStores[1:]...)
	if err != nil {
		if lost := s.lostErr(); lost != nil {
			return lost
		}
		if s.isClosed() {
			return s.errorf("%w", ErrClosed)
		}
		return s.errorf("starting a transaction: %w", err)
	}
	// Listen for the end before anything can end it. The goroutine runs before
	// control returns to JS, so no event is missed.
	finished := make(chan error, 1)
	go func() { finished <- t.Await(context.Background()) }()

	x := &transaction{ctx: ctx, t: t, s: s, snapshotLive: -1}
	// Every way out that is not a clean return of fn — a panic above all —
	// aborts, so the writes fn issued are never left to commit on their own
	// (as bbolt's Update rolls back in a deferred call).
	clean := false
	defer func() {
		if !clean {
			_ = t.Abort()
		}
	}()
	err = x.begin()
	if err == nil {
		err = fn(x)
	}
	clean = true
	if err != nil {
		if abortErr := t.Abort(); abortErr != nil {
			// Already over: aborted by a failed request, or committed because
			// the closure waited on something other than its own requests.
			if <-finished == nil {
				return s.errorf("%w; yet the transaction had already committed (its closure must wait on nothing but its own requests)", err)
			}
		}
		return err
	}
	if mode == idb.TransactionReadWrite && testHookBeforeCommit != nil {
		testHookBeforeCommit(t)
	}
	// Tell the other connections before committing, while this transaction
	// still holds its scope: the catch-up a message starts is a transaction
	// created after this one with an overlapping scope, which IndexedDB starts
	// only once this one has finished, so it reads the outcome (the commit, or
	// nothing if it aborts). Told after the commit, the news would be lost
	// whenever the tab closed or crashed in between. (A crash can still lose
	// the message, which travels apart from the commit: poll.go finds those.)
	if x.wroteConversations {
		s.watchers.post(x.seq)
	}
	// Commit now rather than at the end of the task. It fails harmlessly if the
	// transaction is already over; finished tells how it ended.
	_ = t.Commit()
	if err := <-finished; err != nil {
		if lost := s.lostErr(); lost != nil {
			return fmt.Errorf("%w (the transaction did not commit: %v)", lost, err)
		}
		return s.errorf("the transaction did not commit, nothing of it was stored: %w", err)
	}
	if x.snapshotLive >= 0 {
		s.snapshotState(x.snapshotLive, 0)
	}
	s.snap.sinceSnapshot.Add(int64(x.conversationsPut))
	s.noteSeq(x.seq) // committed: the poll need not tell of it
	return nil
}
