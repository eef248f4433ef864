// Package idb is idbstore's one boundary with IndexedDB, and with JS: every
// JS object the store uses is reached here, one file for each, and the
// store's code above speaks only this package's API.
//
//	open.go         opening and upgrading (blocked, timeouts), deleting
//	upgrade.go      the versionchange transaction a migration works in, and
//	                the check of a newer schema
//	db.go           the connection: one per Store; its loss; Begin
//	transaction.go  a transaction's lifetime: Begin to Commit and Wait
//	freeze.go       every open transaction, aborted when the page is frozen
//	request.go      single requests, and the one way to wait for a request
//	batch.go        many records in a few JS calls; getAll, getAllKeys,
//	                deleting a key range
//	keyrange.go     key ranges
//	value.go        JS values as the store reads them
//	exception.go    the one way a JS exception or DOMException becomes an error
//	channel.go      the BroadcastChannel that tells other tabs of a commit
//
// # go-indexeddb, and what is raw
//
// github.com/hack-pad/go-indexeddb (v0.3.2, its latest) is used for all it
// can do: the connection, every transaction with its commit, abort and end,
// single gets, puts and deletes, the schema check, and deleting a
// database. The rest is raw syscall/js, in this package only, because
// go-indexeddb has no API for it:
//
//   - Opening and upgrading (open.go): its Open panics inside the JS
//     callback when an upgrader fails, tells nothing of a blocked request
//     (another tab holding an older version open), and does not give out
//     the versionchange transaction, which adding an index to an existing
//     store needs. So the database is opened raw first, to upgrade it, and
//     then through go-indexeddb at the version found.
//   - The connection's loss (db.go): go-indexeddb closes the connection on
//     versionchange and tells nobody, and does not listen for close.
//   - Many records (batch.go): it has no getAll (only getAllKeys) and no
//     getAllRecords, and a request through it costs several syscall/js
//     calls, with a value built from Go more still. A batch is a few JS
//     calls however many records it has, and may name the properties it
//     reads back (a value's large ones never become text).
//   - The IDBTransaction itself, which the raw requests are made on:
//     go-indexeddb does not give it out, so Tx.Anchor reaches it through
//     the source of a cursor it opens.
//   - The BroadcastChannel (channel.go), and Uint8Array copies (value.go),
//     which are not IndexedDB.
//
// # Waiting
//
// A request is waited for one way, go-indexeddb's Request.Await (request.go:
// await); a raw request through the go-indexeddb request made right after
// it, since a transaction's requests complete in order. A transaction's end
// is go-indexeddb's Transaction.Await. Only opening waits otherwise: the raw
// open request's own handlers report its success, failure, blocked and
// upgradeneeded events (open.go). No JS event handler here blocks: each
// records, sends on a buffered channel or starts a goroutine.
//
// Between Begin and Commit, wait on nothing but the transaction's own
// requests: IndexedDB commits a transaction that has no request pending at
// the end of a task (docs/design.md, "Transaction lifetime"). Every wait of
// this package returns before control goes back to JS, so the code after it
// may make more requests on the same transaction.
package idb
