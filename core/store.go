package core

import (
	"context"
	"errors"
	"iter"
)

// ErrOtherAccount is what a Store's Open returns (wrapped) when its database
// belongs to another account: the service is refused, never shared.
var ErrOtherAccount = errors.New("the database belongs to another account")

// Opener is a Store that can open its database before the sync: Sync calls
// Open first, so that a database of another account refuses the service
// before it emits anything. Any other error is left to Load, which fails the
// same way and makes the sync fail.
type Opener interface {
	Open(ctx context.Context) error
}

// Store persists conversations and what they keep of their messages. It is shaped for IndexedDB (see
// docs/design.md, "Transaction lifetime"): Update and View run a closure that only
// issues reads and writes on the Tx it is given, waiting on nothing else; a nil
// return commits, an error aborts and leaves the store as before.
//
// Several Services (one per tab) may share one store. Every write bumps the
// store's change sequence (Tx.Seq) and stamps the records it writes with it, so a
// Service can catch up with what others wrote (Tx.ConversationsChangedSince).
type Store interface {
	// Load delivers every conversation record, tombstones too, each once, in
	// batches; the first batch should hold the top of the list (highest
	// sortOrder) so that a first page can be served before the rest arrives.
	// It returns the change sequence the records are as of.
	Load(ctx context.Context, batch func([]*ConversationRecord)) (seq uint64, err error)
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	// Watch calls fn (from any goroutine) when another connection to the same
	// database commits a change: after the commit, or just before it if a
	// transaction that fn starts is sure to see its outcome (idbstore tells
	// before committing, and polls for commits whose news was lost with a
	// crashing tab). It returns a function that stops the calls.
	Watch(fn func()) (stop func())
	Close() error
}

// Tx is one transaction. Reads see the transaction's own writes. Records given
// to Put and returned by Get belong to the store afterwards: nobody modifies
// them (the Service copies a record before changing it).
type Tx interface {
	Seq() (uint64, error)
	SetSeq(seq uint64) error
	// ConversationsChangedSince returns every record, tombstones included,
	// whose Seq is greater than seq.
	ConversationsChangedSince(seq uint64) ([]*ConversationRecord, error)
	// ReadMarks returns the read marks (readmarks.go): the records of this
	// store are read through them. PutReadMarks replaces them.
	ReadMarks() (ReadMarks, error)
	PutReadMarks(ReadMarks) error
	// GetConversations returns one entry per id: the record (maybe a
	// tombstone) or nil.
	GetConversations(ids []string) ([]*ConversationRecord, error)
	// PutConversations writes each record with its tail (tail.go), tails[i]
	// being recs[i]'s, as one write: a conversation's record and what it
	// keeps of its messages are never apart.
	PutConversations(recs []*ConversationRecord, tails []*Tail) error
	// Tails returns each conversation's tail, one per id; one with none
	// stored is an empty Tail. They are the caller's to change.
	Tails(ids []string) ([]*Tail, error)
	// Spilled returns, per conversation, the messages its tail keeps apart
	// (Tail.SpilledKeys), in any order. PutSpilled stores such messages
	// (again: a message's key is its conversationId and messageClientId),
	// DeleteSpilled deletes them by key.
	Spilled(ids []string) ([][]*MessageRecord, error)
	PutSpilled(recs []*MessageRecord) error
	DeleteSpilled(keys []MessageKey) error
}

// SnapshotStore is a Store that can keep the whole list as one snapshot, to
// load it in one read. Its transactions implement SnapshotTx; the Service
// writes a snapshot, from its cache, whenever SnapshotDue says one pays:
// while it works (closing false) and when its last session closes (closing
// true: the next open then reads one value instead of the records written
// since, so a smaller tail pays).
type SnapshotStore interface {
	Store
	SnapshotDue(closing bool) bool
	// NewSnapshot starts a snapshot as of change sequence seq of about n
	// records, which records yields when the snapshot is encoded. The
	// Service calls it while nothing writes (it holds writeMu); the snapshot
	// may then be encoded while calls go on, and put later in a transaction
	// of its own. A record may then be newer than seq: the load reads every
	// record changed after seq, which replaces it.
	NewSnapshot(seq uint64, n int, records iter.Seq[*ConversationRecord]) Snapshot
}

// Snapshot is a snapshot of the list that its store made (NewSnapshot), to
// encode and put (SnapshotTx).
type Snapshot interface {
	// Encode encodes it, once; pause, if not nil, is called between pieces
	// of the work, so that a caller can let others run. PutSnapshot encodes
	// what was not.
	Encode(pause func())
}

// SnapshotTx writes a snapshot. One older than the store's newest change is
// whole all the same: a load reads the records changed since it.
type SnapshotTx interface {
	PutSnapshot(s Snapshot) error
}

// FirstPageTx keeps the first page (firstpage.go): the top of the list as
// getConversationList(0, n) serves it, as JSON, for the wrapper to answer a
// cold open's first call with before the module has loaded.
type FirstPageTx interface {
	PutFirstPage(page []byte) error
	// FirstPage is the page kept, nil when there is none: every change
	// (SetSeq) deletes it, so a page found is as of the store's Seq.
	FirstPage() ([]byte, error)
}
