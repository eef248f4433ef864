// Package idbstore is a core.Store on IndexedDB, for localconv compiled to
// WebAssembly (GOOS=js GOARCH=wasm). It runs wherever globalThis.indexedDB
// exists: a page, a dedicated or shared Worker, a service worker.
//
// Three object stores: conversations (key: conversationId), messages (key:
// [conversationId, messageClientId]) and meta (the change sequence, and a
// snapshot of the whole list as one value). Every record value
// is a small plain object holding the properties its keys and indexes need,
// plus the record itself as compact bytes (codec.go) in its rec property; see
// schema.go for the layout and values.go for why.
//
// Update and View run their closure in one IndexedDB transaction, through
// github.com/hack-pad/go-indexeddb. Load reads the whole list through a small
// raw read path (load.go): the snapshot in one copy, plus the few records
// written since it; it needs no JS of its own, so it works under a strict
// Content-Security-Policy. The Service rewrites the snapshot from its cache
// when the records written since have grown (snapshot.go).
//
// Several tabs share the database: a transaction that changed conversations
// posts on a BroadcastChannel named after the database just before it commits
// (watch.go, update.go), and Watch tells the other connections, whose reads
// then see the commit; a commit whose message was lost (its tab died in
// between) is found by polling the change sequence (poll.go). A tab that opens a newer schema makes the older
// connections let go (OnConnectionLost); code meeting a database newer than
// its schema opens it as it is if it has every store and index the code needs
// (schema.go: needs), since a newer schema only adds.
//
// # What goes around go-indexeddb, and why
//
// go-indexeddb (v0.3.2, its latest) creates every transaction, waits for its
// end and reads the first value of each (the change sequence, transaction.go).
// The rest goes to IndexedDB through syscall/js, where it has no API for what
// this store needs:
//
//   - Opening and upgrading (open.go, schema.go): its Open panics inside the
//     JS callback when an upgrader fails, tells nothing of a blocked request
//     (another tab holding an older version open), cannot open a database at
//     whatever version it has (a newer tab's), and does not give out the
//     versionchange transaction, which adding an index to an existing store
//     needs. So the schema is opened raw first, and go-indexeddb then opens
//     its connection at the version found (openIDB), never upgrading.
//   - Reading many records (load.go, and transaction.go's reads): it has no
//     getAll, only getAllKeys; a cursor costs a Go–JS round trip a record.
//   - Writing many records (bulk.go): its requests are one syscall/js call
//     each, several per record. A batch is one JSON text per 256 KiB of
//     records, issued on the transaction as IndexedDB's own object, which
//     go-indexeddb does not give out: it is reached through the first
//     cursor's source (transaction.begin).
//   - Polling the change sequence (poll.go) and deleting a database
//     (delete.go) use the raw connection and factory; a BroadcastChannel
//     (watch.go) is not IndexedDB.
//
// The codec is plain Go and builds everywhere, so that it can be tested and
// fuzzed natively; the rest needs js/wasm.
package idbstore
