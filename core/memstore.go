package core

import (
	"context"
	"errors"
	"sync"
)

// MemDB is an in-memory database: what `storage: 'memory'` uses, and the
// stand-in for IndexedDB in native tests. Several Services may connect to one
// MemDB, as tabs share one IndexedDB database.
type MemDB struct {
	mu       sync.Mutex
	seq      uint64
	convs    map[string]*ConversationRecord
	bySeq    map[uint64]map[string]struct{} // seq → ids last written by it
	tails    map[string]*Tail
	spilled  map[MessageKey]*MessageRecord
	marks    ReadMarks
	watchers map[*memConn]func()

	failUpdate error // fault injection: the next Update aborts with it
	failLoad   error
}

// NewMemDB returns an empty database.
func NewMemDB() *MemDB {
	return &MemDB{
		convs:    map[string]*ConversationRecord{},
		bySeq:    map[uint64]map[string]struct{}{},
		tails:    map[string]*Tail{},
		spilled:  map[MessageKey]*MessageRecord{},
		watchers: map[*memConn]func(){},
	}
}

// NewMemStore is a Store on a database of its own.
func NewMemStore() Store { return NewMemDB().Connect() }

// Connect opens a connection, as a tab opens the IndexedDB database.
func (db *MemDB) Connect() Store { return &memConn{db: db} }

// failNextUpdate makes the next Update run its closure and then fail with err
// instead of committing, as a quota error or a crash would.
func (db *MemDB) failNextUpdate(err error) {
	db.mu.Lock()
	db.failUpdate = err
	db.mu.Unlock()
}

// failNextLoad makes the next Load fail with err.
func (db *MemDB) failNextLoad(err error) {
	db.mu.Lock()
	db.failLoad = err
	db.mu.Unlock()
}

// Seq is the database's change sequence.
func (db *MemDB) Seq() uint64 {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.seq
}

// Conversations returns a copy of every record, tombstones included, as the
// read marks make them (what a Service loads).
func (db *MemDB) Conversations() map[string]*ConversationRecord {
	db.mu.Lock()
	defer db.mu.Unlock()
	out := make(map[string]*ConversationRecord, len(db.convs))
	for id, r := range db.convs {
		out[id] = db.marks.apply(r).clone()
	}
	return out
}

// Messages returns a copy of the conversation's kept messages, those kept
// apart first.
func (db *MemDB) Messages(conversationID string) []MessageRecord {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []MessageRecord
	for k, m := range db.spilled {
		if k.ConversationID == conversationID {
			out = append(out, *m)
		}
	}
	if tl := db.tails[conversationID]; tl != nil {
		for _, m := range tl.Messages {
			out = append(out, *m)
		}
	}
	return out
}

// Tail returns a copy of the conversation's tail, nil if it has none.
func (db *MemDB) Tail(conversationID string) *Tail {
	db.mu.Lock()
	defer db.mu.Unlock()
	if tl := db.tails[conversationID]; tl != nil {
		return tl.clone()
	}
	return nil
}

var errMemClosed = errors.New("the database connection is closed")

type memConn struct {
	db     *MemDB
	closed bool
}

func (c *memConn) Load(ctx context.Context, batch func([]*ConversationRecord)) (uint64, error) {
	db := c.db
	db.mu.Lock()
	defer db.mu.Unlock()
	if c.closed {
		return 0, errMemClosed
	}
	if err := db.failLoad; err != nil {
		db.failLoad = nil
		return 0, err
	}
	recs := make([]*ConversationRecord, 0, len(db.convs))
	for _, r := range db.convs {
		recs = append(recs, r)
	}
	batch(recs)
	return db.seq, nil
}

func (c *memConn) Update(ctx context.Context, fn func(Tx) error) error {
	return c.run(fn, true)
}

func (c *memConn) View(ctx context.Context, fn func(Tx) error) error {
	return c.run(fn, false)
}

func (c *memConn) run(fn func(Tx) error, writable bool) error {
	db := c.db
	db.mu.Lock()
	if c.closed {
		db.mu.Unlock()
		return errMemClosed
	}
	tx := &memTx{db: db, writable: writable}
	clean := false
	defer func() {
		if !clean { // fn panicked: nothing of it stays, and the database is free again
			tx.rollback()
			db.mu.Unlock()
		}
	}()
	err := fn(tx)
	clean = true
	if err == nil && writable && db.failUpdate != nil {
		err, db.failUpdate = db.failUpdate, nil
	}
	if err != nil {
		tx.rollback()
		db.mu.Unlock()
		return err
	}
	var notify []func()
	if tx.wrote {
		for w, f := range db.watchers {
			if w != c {
				notify = append(notify, f)
			}
		}
	}
	db.mu.Unlock()
	for _, f := range notify {
		go f() // like a BroadcastChannel message: later, from elsewhere
	}
	return nil
}

func (c *memConn) Watch(fn func()) func() {
	c.db.mu.Lock()
	c.db.watchers[c] = fn
	c.db.mu.Unlock()
	return func() {
		c.db.mu.Lock()
		delete(c.db.watchers, c)
		c.db.mu.Unlock()
	}
}

func (c *memConn) Close() error {
	c.db.mu.Lock()
	c.closed = true
	delete(c.db.watchers, c)
	c.db.mu.Unlock()
	return nil
}

// memTx writes in place and keeps an undo log, so an abort restores exactly
// what was there.
type memTx struct {
	db       *MemDB
	writable bool
	wrote    bool
	undo     []func()
}

var errReadOnly = errors.New("write in a read-only transaction")

func (t *memTx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
}

func (t *memTx) write() error {
	if !t.writable {
		return errReadOnly
	}
	t.wrote = true
	return nil
}

func (t *memTx) Seq() (uint64, error) { return t.db.seq, nil }

func (t *memTx) SetSeq(seq uint64) error {
	if err := t.write(); err != nil {
		return err
	}
	old := t.db.seq
	t.undo = append(t.undo, func() { t.db.seq = old })
	t.db.seq = seq
	return nil
}

func (t *memTx) ConversationsChangedSince(seq uint64) ([]*ConversationRecord, error) {
	var out []*ConversationRecord
	for s := seq + 1; s <= t.db.seq; s++ {
		for id := range t.db.bySeq[s] {
			out = append(out, t.db.convs[id])
		}
	}
	return out, nil
}

func (t *memTx) ReadMarks() (ReadMarks, error) { return t.db.marks.clone(), nil }

func (t *memTx) PutReadMarks(m ReadMarks) error {
	if err := t.write(); err != nil {
		return err
	}
	old := t.db.marks
	t.undo = append(t.undo, func() { t.db.marks = old })
	t.db.marks = m.clone()
	return nil
}

func (t *memTx) GetConversations(ids []string) ([]*ConversationRecord, error) {
	out := make([]*ConversationRecord, len(ids))
	for i, id := range ids {
		out[i] = t.db.convs[id]
	}
	return out, nil
}

func (t *memTx) PutConversations(recs []*ConversationRecord, tails []*Tail) error {
	if err := t.write(); err != nil {
		return err
	}
	if len(tails) != len(recs) {
		return errors.New("PutConversations: a tail for each record")
	}
	for i, r := range recs {
		t.putConversation(r)
		t.putTail(r.ConversationID, tails[i])
	}
	return nil
}

// Tails gives copies: a caller changes its own, and only what it puts
// back is stored.
func (t *memTx) Tails(ids []string) ([]*Tail, error) {
	out := make([]*Tail, len(ids))
	for i, id := range ids {
		if tl := t.db.tails[id]; tl != nil {
			out[i] = tl.clone()
		} else {
			out[i] = &Tail{}
		}
	}
	return out, nil
}

func (t *memTx) Spilled(ids []string) ([][]*MessageRecord, error) {
	out := make([][]*MessageRecord, len(ids))
	at := make(map[string]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	for k, m := range t.db.spilled {
		if i, ok := at[k.ConversationID]; ok {
			out[i] = append(out[i], m)
		}
	}
	return out, nil
}

func (t *memTx) PutSpilled(recs []*MessageRecord) error {
	if err := t.write(); err != nil {
		return err
	}
	for _, m := range recs {
		t.setSpilled(m.Key(), m)
	}
	return nil
}

func (t *memTx) DeleteSpilled(keys []MessageKey) error {
	if err := t.write(); err != nil {
		return err
	}
	for _, k := range keys {
		t.setSpilled(k, nil)
	}
	return nil
}

// setSpilled stores m at k, or deletes what is there if m is nil.
func (t *memTx) setSpilled(k MessageKey, m *MessageRecord) {
	setUndoable(t, t.db.spilled, k, m, m == nil)
}

func (t *memTx) putTail(id string, tl *Tail) {
	setUndoable(t, t.db.tails, id, tl.clone(), false)
}

// setUndoable stores v at k in m (deletes what is there if del) and logs
// how to undo it.
func setUndoable[K comparable, V any](t *memTx, m map[K]V, k K, v V, del bool) {
	old, had := m[k]
	t.undo = append(t.undo, func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
	if del {
		delete(m, k)
	} else {
		m[k] = v
	}
}

func (t *memTx) putConversation(r *ConversationRecord) {
	db, id := t.db, r.ConversationID
	old := db.convs[id]
	t.undo = append(t.undo, func() {
		db.unindexSeq(id, r.Seq)
		if old == nil {
			delete(db.convs, id)
			return
		}
		db.convs[id] = old
		db.indexSeq(id, old.Seq)
	})
	if old != nil {
		db.unindexSeq(id, old.Seq)
	}
	db.convs[id] = r
	db.indexSeq(id, r.Seq)
}

func (db *MemDB) indexSeq(id string, seq uint64) {
	ids := db.bySeq[seq]
	if ids == nil {
		ids = map[string]struct{}{}
		db.bySeq[seq] = ids
	}
	ids[id] = struct{}{}
}

func (db *MemDB) unindexSeq(id string, seq uint64) {
	if ids := db.bySeq[seq]; ids != nil {
		delete(ids, id)
		if len(ids) == 0 {
			delete(db.bySeq, seq)
		}
	}
}
