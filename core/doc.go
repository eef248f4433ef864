// Package core is localconv's local conversation service in plain Go: the
// types of docs/api.md §1, conversation ids, argument validation and error
// codes, the Service with its cache, paging, unread counts, filters and
// events, the Store interface it persists through, and an in-memory Store.
// It never imports syscall/js: everything here runs and is tested natively;
// idbstore/ puts a Store on IndexedDB and wasm/ bridges the Service to JS.
//
// # Basics
//
// Open (New, then Sync) gives a Service for one account over a Store. Every
// call of docs/api.md §2 comes in through Service.Call as a method name and JSON
// arguments and leaves as JSON; the typed methods underneath are the same
// calls for Go code and tests.
//
// A call that changes something is one Store transaction (write.go): it
// first catches up with what other connections committed (catchup.go), then
// stages its changes on a txn (txn.go) — the records it reads are read inside
// the transaction, never trusted from the cache — writes them, and only once
// the transaction committed puts them into the cache and emits their events
// (events.go). A call that fails, or whose commit fails, leaves the cache and
// the store as they were. Queries read the cache only (cache.go), so a page
// or a count costs the same at 10 or 100,000 conversations.
//
// One module may serve several tabs (a SharedWorker): each tab is a Service,
// a session on one hub (service.go) that holds what they share — the store,
// the cache, the write lock. What is a tab's own stays on its Service: its
// listener, its subscribed filters, its paging cursors, its current
// conversation.
//
// # Locks
//
// Two locks, always taken in this order:
//
//	hub.writeMu  serializes everything that writes the store or the cache:
//	             calls that change something, the sync, catch-ups, attaching,
//	             closing, snapshot writes. Held across a whole transaction.
//	hub.mu       (RWMutex) guards what queries read: the cache, the sessions
//	             and every session's fields (closed, filters, cursors,
//	             current). Held briefly, never across a store call.
//
// A goroutine holding hub.mu never waits for hub.writeMu. Listeners are
// called without hub.mu (emitAll copies the sessions first) but often with
// writeMu held: a listener must not synchronously call a method that changes
// something.
//
// # Caveats
//
// A Store transaction must wait on nothing but its own requests (IndexedDB
// commits a transaction that has none pending at the end of a task): the
// closures given to Store.Update and Store.View only issue reads and writes.
//
// Strings compare by UTF-16 code units (order.go), as JavaScript and
// IndexedDB do, never by Go's byte order.
//
// A database belongs to one account (Opener, ErrOtherAccount): Sync refuses
// any other, and records of another account are never loaded or emitted.
package core
