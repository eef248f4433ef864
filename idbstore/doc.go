// Package idbstore is a core.Store on IndexedDB, for localconv compiled to
// WebAssembly (GOOS=js GOARCH=wasm). It runs wherever globalThis.indexedDB
// exists: a page, a dedicated or shared Worker, a service worker.
//
// # Basics
//
// New gives a Store on the database of one name; it opens on first use
// (store.go): the schema brought up to date (migrate.go), then the database
// claimed for the account (meta.go). Update and View run a closure in one
// transaction (transaction.go), whose reads and writes of conversations and
// messages are in operations.go and of meta's small records in meta.go.
// Load reads the whole list at open (load.go): the snapshot, the list as
// one value (snapshot.go), and the records written since it.
//
// Four object stores: conversations (each with its tail, what it keeps of its
// messages), spill (the oldest kept messages of a conversation with many),
// meta, and version 2's messages until they move into tails (legacy.go).
// schema.go names each store, index and meta key beside the layout. A record is stored as a
// small plain object with the properties its keys and indexes need, and the
// record itself as compact bytes (codec.go) in a string of one character per
// byte (rectext.go); records.go reads them back.
//
// Several tabs share the database (tabs.go): a transaction that changed
// conversations posts on a BroadcastChannel just before it commits, Watch
// tells the other connections, and a poll of the change sequence finds the
// commits whose message was lost with a dying tab.
//
// All of it reaches IndexedDB, and JS, through one package, internal/idb:
// the store's code above it has no syscall/js. That package says what goes
// through github.com/hack-pad/go-indexeddb and what is raw, and why.
//
// # Types
//
//	Store        the core.Store, core.SnapshotStore and core.Opener
//	transaction  the core.Tx, core.SnapshotTx and core.FirstPageTx of one
//	             IndexedDB transaction (idb.Tx)
//	schema       the migrations; the database version is their number
//	watchers     the BroadcastChannel and the Watch functions
//	seqPoll      the poll of the change sequence
//
// # Caveats
//
// Inside a transaction, wait on nothing but its own requests: IndexedDB
// commits a transaction that has none pending at the end of a task
// (docs/design.md, "Transaction lifetime"). Store.run aborts a transaction
// whose closure failed and reports one that committed early.
//
// A JS event handler must never block: the few that reach this package's
// code (connectionLost, a cursor's records) only record and hand on.
//
// Many records cross between Go and JS as one JSON text, never one JS call a
// record: that is what makes a batch and a load fast.
//
// A tab that opens a newer schema makes the older connections let go
// (Options.OnConnectionLost); code meeting a newer schema opens it as it is
// if it has every store and index the code needs (migrate.go's needs).
//
// The codecs are plain Go and build everywhere, so that they are tested and
// fuzzed natively; the rest needs js/wasm and runs in a browser
// (make test-browser).
package idbstore
