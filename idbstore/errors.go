package idbstore

import (
	"errors"

	"github.com/localconv/localconv/idbstore/internal/idb"
)

// Errors a Store returns, wrapped with the database's name; compare with
// errors.Is. A failed request or transaction gives its DOMException (such as
// a QuotaExceededError) by name and message.
var (
	// ErrUnavailable: this context has no IndexedDB (globalThis.indexedDB is
	// missing), or it refuses to open databases (e.g. some private modes).
	ErrUnavailable = idb.ErrUnavailable
	// ErrBlocked: an upgrade or deletion waited too long for other connections
	// (tabs holding an older version open) to close.
	ErrBlocked = idb.ErrBlocked
	// ErrOpenTimeout: opening the database did not finish in time for another
	// reason (usually another tab's upgrade or deletion that is itself blocked).
	ErrOpenTimeout = idb.ErrOpenTimeout
	// ErrVersionChange: another tab opened a newer version of the database (or
	// deleted it), so this connection let go of it; reloading the page picks
	// up the new code.
	ErrVersionChange = errors.New("another tab opened a newer version of the database or deleted it, so this connection was closed")
	// ErrConnectionLost: the browser closed the connection (site data cleared,
	// storage failure).
	ErrConnectionLost = errors.New("the browser closed the database connection")
	// ErrClosed: the Store was closed.
	ErrClosed = errors.New("the store is closed")
)
