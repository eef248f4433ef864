//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// Store is a core.Store on the IndexedDB database of one name. It opens the
// database on first use (Load, normally), so a database that is missing or
// refuses to open makes that call fail and the core carry on in memory.
type Store struct {
	name   string
	opts   Options
	schema schema

	// mu guards db and closed. It is never taken by a JS callback: a
	// goroutine may hold it while it waits for one.
	mu     sync.Mutex
	db     *idb.DB
	closed bool

	// lost is the error that closed the connection from outside.
	lost     atomic.Pointer[error]
	watchers watchers
	poll     seqPoll
	snap     snapshotCounts

	corruptMu sync.Mutex
	corrupt   map[string]bool
}

var _ core.SnapshotStore = (*Store)(nil)

// New returns a Store on the database named dbName. Nothing is opened yet.
func New(dbName string, opts Options) *Store {
	return newWithSchema(dbName, opts, currentSchema)
}

func newWithSchema(dbName string, opts Options, sch schema) *Store {
	return &Store{
		name:     dbName,
		opts:     opts,
		schema:   sch,
		watchers: watchers{name: dbName},
		poll:     seqPoll{stop: make(chan struct{})},
		corrupt:  map[string]bool{},
	}
}

// Name is the database's name.
func (s *Store) Name() string { return s.name }

// Open opens the database now rather than at the first call, so that a
// database of another account is refused (core.ErrOtherAccount) before the
// service starts.
func (s *Store) Open(ctx context.Context) error {
	_, err := s.ready(ctx)
	return err
}

// ready returns the open connection, opening it on first use: the schema
// brought up to date, then the database claimed for the account (meta.go).
func (s *Store) ready(ctx context.Context) (*idb.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, s.errorf("%w", ErrClosed)
	}
	if err := s.lostErr(); err != nil {
		return nil, err
	}
	if s.db != nil {
		return s.db, nil
	}
	var db *idb.DB
	db, err := idb.Open(ctx, s.name, s.schema.open(), s.opts.openTimeout(), func(versionChange bool) {
		why := ErrConnectionLost
		if versionChange {
			why = ErrVersionChange
		}
		s.connectionLost(db, why)
	})
	if err != nil {
		return nil, s.errorf("opening: %w", err)
	}
	if err := claim(ctx, db, s.opts.Account); err != nil {
		db.Close()
		return nil, s.errorf("opening: %w", err)
	}
	s.db = db
	return db, nil
}

// connectionLost runs in a JS event handler, so it must not block: it closes
// what is open, records why, and tells the app from a goroutine.
func (s *Store) connectionLost(db *idb.DB, why error) {
	err := s.errorf("%w", why)
	if !s.lost.CompareAndSwap(nil, &err) {
		return
	}
	if db != nil {
		db.Close()
	}
	s.stopPolling()
	if fn := s.opts.OnConnectionLost; fn != nil {
		go fn(err)
	}
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Store) lostErr() error {
	if p := s.lost.Load(); p != nil {
		return *p
	}
	return nil
}

func (s *Store) errorf(format string, args ...any) error {
	return fmt.Errorf("idbstore %q: "+format, append([]any{s.name}, args...)...)
}

// reportCorrupt tells OnCorruptRecord of a record, the first time only.
func (s *Store) reportCorrupt(key string, err error) {
	s.corruptMu.Lock()
	seen := s.corrupt[key]
	s.corrupt[key] = true
	s.corruptMu.Unlock()
	switch {
	case seen:
	case s.opts.OnCorruptRecord != nil:
		s.opts.OnCorruptRecord(key, err)
	default:
		log.Printf("idbstore %q: skipping %s, which cannot be decoded: %v", s.name, key, err)
	}
}

// Watch calls fn, from a goroutine of its own, each time another connection to
// this database (another tab, or another Store in this one) commits a change
// to the conversations. fn may be called just before that commit completes: a
// transaction it starts waits for it and sees its outcome. A commit whose news
// was lost (its tab died in between) is found by polling within pollInterval
// (tabs.go). It returns a function that stops the calls.
func (s *Store) Watch(fn func()) (stop func()) {
	stop = s.watchers.add(fn)
	s.startPolling()
	return stop
}

// Close closes the connection; later calls fail with ErrClosed. Transactions
// under way finish first.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.stopPolling()
	if s.db != nil {
		s.db.Close()
	}
	s.watchers.close()
	return nil
}

// Delete deletes the database named dbName. Connections to it are asked to
// close (a Store closes at once and reports ErrVersionChange); if one does not
// within ten seconds, or ctx ends first, Delete gives up with an error (the
// deletion still happens once the last connection closes).
func Delete(ctx context.Context, dbName string) error {
	if err := idb.Delete(ctx, dbName, 10*time.Second); err != nil {
		return fmt.Errorf("idbstore %q: deleting: %w", dbName, err)
	}
	return nil
}
