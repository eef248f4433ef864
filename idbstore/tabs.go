//go:build js && wasm

package idbstore

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/localconv/localconv/idbstore/internal/idb"
)

// Several tabs share one database. A transaction that changed conversations
// posts on a BroadcastChannel named after the database just before it
// commits (Store.run), and the watchers of the other connections are told;
// their reads then see the commit. The message travels apart from the commit,
// so a tab that dies between the two gets its commit in with the message
// lost: a watched Store polls the change sequence to find such commits.

// channelName is the BroadcastChannel that connections to the database named
// dbName use to say that they committed a change.
func channelName(dbName string) string { return "idbstore:" + dbName }

// watchers is a Store's BroadcastChannel and the functions Watch was given.
// A channel does not receive its own posts, so a Store is not told of its
// own commits. Without BroadcastChannel, posts do nothing and only the poll
// tells.
type watchers struct {
	name string

	mu      sync.Mutex
	ch      *idb.Channel // nil until first needed, or where there is none
	started bool
	fns     map[int]func()
	next    int
	closed  bool
}

// channel returns the BroadcastChannel, made on first use; w.mu is held.
func (w *watchers) channel() *idb.Channel {
	if !w.started && !w.closed {
		w.started = true
		w.ch = idb.NewChannel(channelName(w.name), w.notify)
	}
	return w.ch
}

func (w *watchers) notify() {
	w.mu.Lock()
	fns := make([]func(), 0, len(w.fns))
	for _, fn := range w.fns {
		fns = append(fns, fn)
	}
	w.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (w *watchers) add(fn func()) (stop func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return func() {}
	}
	w.channel() // start listening, where there is BroadcastChannel
	if w.fns == nil {
		w.fns = map[int]func(){}
	}
	id := w.next
	w.next++
	w.fns[id] = fn
	return func() {
		w.mu.Lock()
		delete(w.fns, id)
		w.mu.Unlock()
	}
}

// post tells the other connections that a transaction about to commit leaves
// the change sequence at seq.
func (w *watchers) post(seq uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ch := w.channel(); ch != nil {
		ch.Post(seq)
	}
}

func (w *watchers) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	w.fns = nil
	if w.ch != nil {
		w.ch.Close()
		w.ch = nil
	}
}

// pollInterval is how often a watched Store reads the database's change
// sequence, so that other tabs never stay behind a lost message for longer.
// A poll is one get of one key in a read-only transaction on meta.
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
		db := s.openDB()
		if db == nil {
			continue // not open yet (the poll starts with Watch, after Load)
		}
		seq, err := readSeq(db)
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

// openDB is the connection if it is open and usable, else nil.
func (s *Store) openDB() *idb.DB {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.lostErr() != nil {
		return nil
	}
	return s.db
}

// readSeq reads the change sequence in a transaction of its own.
func readSeq(db *idb.DB) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tx, err := db.Begin(ctx, idb.ReadOnly, storeMeta)
	if err != nil {
		return 0, err
	}
	v, err := tx.Get(storeMeta, metaSeq)
	if err != nil {
		return 0, err
	}
	return seqOf(v)
}
