package idb

import "errors"

// What opening and deleting report beside a DOMException (exception.go).
// idbstore gives them out under its own names; compare with errors.Is.
var (
	// ErrUnavailable: this context has no IndexedDB (globalThis.indexedDB is
	// missing), or it refuses to open databases (e.g. some private modes).
	ErrUnavailable = errors.New("IndexedDB is not available in this context")
	// ErrBlocked: an upgrade or deletion waited too long for other connections
	// (tabs holding an older version open) to close.
	ErrBlocked = errors.New("another connection keeps the database open and does not let go; close or reload the other tabs")
	// ErrOpenTimeout: opening did not finish in time for another reason
	// (usually another tab's upgrade or deletion that is itself blocked).
	ErrOpenTimeout = errors.New("opening the database did not finish in time")
)
