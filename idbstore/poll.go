//go:build js && wasm

package idbstore

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"
)

// pollInterval is how often a watched Store reads the database's change
// sequence. The BroadcastChannel is the fast path, but a tab that crashes (or
// closes) between telling and committing can get its commit in while its
// message is lost: the two travel separately. The poll finds such a commit
// within the interval, so that other tabs never stay behind for more than
// that. A poll is one get of one key in a read-only transaction on meta.
var pollInterval = 500 * time.Millisecond

// seqPoll is a Store's poll state.
type seqPoll struct {
	// seen is the highest change sequence this Store knows of: loaded, read by
	// a transaction, or committed by itself. The poll tells the watchers only
	// of a higher one.
	seen    atomic.Uint64
	start   sync.Once
	stop    chan struct{}
	stopped sync.Once
}

// noteSeq raises seen to seq.
func (s *Store) noteSeq(seq uint64) {
	for {
		cur := s.poll.seen.Load()
		if seq <= cur || s.poll.seen.CompareAndSwap(cur, seq) {
			return
		}
	}
}

func (s *Store) startPolling() {
	s.poll.start.Do(func() { go s.pollLoop() })
}

// stopPolling never blocks: it may run in a JS event handler.
func (s *Store) stopPolling() {
	s.poll.stopped.Do(func() { close(s.poll.stop) })
}

func (s *Store) pollLoop() {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.poll.stop:
			return
		case <-tick.C:
		}
		c := s.openConnection()
		if c == nil {
			continue // not open yet (the poll starts with Watch, after Load)
		}
		seq, err := s.readSeq(c)
		if err == nil && seq > s.poll.seen.Load() {
			s.noteSeq(seq)
			s.watchers.notify()
		}
		if testHookPolled != nil {
			testHookPolled(s)
		}
	}
}

// testHookPolled, if set, runs after each poll: tests wait on it.
var testHookPolled func(*Store)

// openConnection is the connection if it is open and usable, else nil.
func (s *Store) openConnection() *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.lostErr() != nil {
		return nil
	}
	return s.conn
}

// readSeq reads the change sequence through the raw connection.
func (s *Store) readSeq(c *conn) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var req js.Value
	if err := catchJS(func() {
		req = c.raw.Call("transaction", []any{storeMeta}, "readonly").Call("objectStore", storeMeta).Call("get", metaSeq)
	}); err != nil {
		return 0, err
	}
	v, err := awaitRequest(ctx, req)
	if err != nil {
		return 0, err
	}
	return seqFromJS(v)
}
