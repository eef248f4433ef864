//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/hack-pad/go-indexeddb/idb"

	"github.com/localconv/localconv/core"
)

// conn is one Store's hold on the database: two connections to it.
//
// raw is opened through syscall/js: it creates and upgrades the schema (a
// migration that adds an index to an existing store needs the versionchange
// transaction, which go-indexeddb v0.3.2 does not expose) and serves the bulk
// read path (load.go). db is opened through go-indexeddb at the same version,
// after raw, so it never upgrades; Update and View run on it.
type conn struct {
	raw    js.Value
	db     *idb.Database
	funcs  []js.Func
	closed atomic.Bool
}

// openConn opens both connections. lost is called (from a JS event handler)
// when the raw connection is closed from outside.
func openConn(ctx context.Context, name, account string, sch schema, timeout time.Duration, lost func(*conn, error)) (*conn, error) {
	factory := js.Global().Get("indexedDB")
	if factory.Type() != js.TypeObject {
		return nil, fmt.Errorf("%w (globalThis.indexedDB is %s)", ErrUnavailable, factory.Type())
	}
	raw, err := openRaw(ctx, factory, name, sch, timeout)
	if err != nil {
		return nil, err
	}
	c := &conn{raw: raw}
	onVersionChange := js.FuncOf(func(js.Value, []js.Value) any {
		lost(c, ErrVersionChange)
		return nil
	})
	onClose := js.FuncOf(func(js.Value, []js.Value) any {
		lost(c, ErrConnectionLost)
		return nil
	})
	c.funcs = append(c.funcs, onVersionChange, onClose)
	raw.Set("onversionchange", onVersionChange)
	raw.Set("onclose", onClose)

	if err := ensureMeta(ctx, raw, account); err != nil {
		c.close()
		c.release()
		return nil, err
	}
	c.db, err = openIDB(ctx, factory, name, raw.Get("version").Int(), timeout)
	if err != nil {
		c.close()
		c.release()
		return nil, err
	}
	return c, nil
}

// ensureMeta writes the change sequence record (0) if the database has none
// yet: every transaction starts by reading it with a cursor
// (transaction.begin). And it makes sure the database is account's: the
// first account to open it owns it (recorded in the same read-write
// transaction, so two tabs opening a new database at once cannot both), and
// any other account is refused with core.ErrOtherAccount. account "" checks
// nothing (the store's own tests).
func ensureMeta(ctx context.Context, raw js.Value, account string) error {
	var tx, seqReq, ownerReq js.Value
	if err := catchJS(func() {
		tx = raw.Call("transaction", []any{storeMeta}, "readwrite")
		meta := tx.Call("objectStore", storeMeta)
		seqReq = meta.Call("get", metaSeq)
		ownerReq = meta.Call("get", metaAccount)
	}); err != nil {
		return err
	}
	done := awaitTransaction(tx)
	if _, err := awaitRequest(ctx, ownerReq); err != nil { // requests complete in order
		return err
	}
	owner := ownerReq.Get("result")
	var refused error
	err := catchJS(func() {
		meta := tx.Call("objectStore", storeMeta)
		if seqReq.Get("result").IsUndefined() {
			meta.Call("put", 0, metaSeq)
		}
		switch {
		case account == "":
		case owner.IsUndefined():
			meta.Call("put", account, metaAccount)
		case owner.Type() != js.TypeString || owner.String() != account:
			refused = fmt.Errorf("%w: it belongs to account %s", core.ErrOtherAccount, jsString(owner))
			tx.Call("abort")
		}
	})
	if err != nil {
		return fmt.Errorf("preparing the change sequence: %w", err)
	}
	if refused != nil {
		<-done
		return refused
	}
	if err := <-done; err != nil {
		return fmt.Errorf("preparing the change sequence: %w", err)
	}
	return nil
}

// awaitTransaction reports how a raw transaction ended: nil once complete.
func awaitTransaction(tx js.Value) <-chan error {
	done := make(chan error, 1)
	var onComplete, onAbort js.Func
	finish := func(err error) {
		done <- err
		tx.Set("oncomplete", js.Null())
		tx.Set("onabort", js.Null())
		go func() { onComplete.Release(); onAbort.Release() }()
	}
	onComplete = js.FuncOf(func(js.Value, []js.Value) any { finish(nil); return nil })
	onAbort = js.FuncOf(func(js.Value, []js.Value) any {
		err := jsError(tx.Get("error"))
		if err == nil {
			err = errors.New("the transaction was aborted")
		}
		finish(err)
		return nil
	})
	tx.Set("oncomplete", onComplete)
	tx.Set("onabort", onAbort)
	return done
}

// close closes both connections; it never blocks (close() lets transactions
// under way finish on their own).
func (c *conn) close() {
	if c.closed.Swap(true) {
		return
	}
	_ = catchJS(func() { c.raw.Call("close") })
	if c.db != nil {
		_ = c.db.Close()
	}
}

// release frees the event handlers; call it after close, outside any of them.
func (c *conn) release() {
	c.raw.Set("onversionchange", js.Null())
	c.raw.Set("onclose", js.Null())
	for _, f := range c.funcs {
		f.Release()
	}
	c.funcs = nil
}

// openRaw opens the database at the schema's version, migrating it if it is
// older. A database of a newer version (a tab with newer code upgraded it) is
// opened at its own version if it has every store and index this code needs
// (see needs): a newer schema only adds, so this code keeps working on it,
// and the newer code reads what this one writes.
func openRaw(ctx context.Context, factory js.Value, name string, sch schema, timeout time.Duration) (js.Value, error) {
	db, err := openRequest(ctx, factory, name, sch.version(), sch.migrate, timeout)
	if err == nil || !isDOMError(err, "VersionError") {
		return db, err
	}
	// Version 0: open whatever version it is. An upgrade then means that the
	// database vanished in between (another tab deleted it), and this request
	// would create it empty at version 1, with none of this code's stores.
	db, err = openRequest(ctx, factory, name, 0, func(_, _ js.Value, _ int) error {
		return errors.New("the database was deleted while it was being opened")
	}, timeout)
	if err != nil {
		return js.Value{}, err
	}
	if err := checkNeeds(db); err != nil {
		version := db.Get("version").Int()
		db.Call("close")
		return js.Value{}, fmt.Errorf("the database has a newer schema (version %d) than this code's (version %d), and %w; reload to get the new code", version, sch.version(), err)
	}
	return db, nil
}

// openRequest opens the database at version (0: at whatever version it has),
// running upgrade in the versionchange transaction if it is older. It gives up
// after timeout unless an upgrade is under way; a request given up on closes
// (or aborts its upgrade) as soon as it completes, so that it holds nothing
// open.
func openRequest(ctx context.Context, factory js.Value, name string, version int, upgrade func(db, tx js.Value, oldVersion int) error, timeout time.Duration) (js.Value, error) {
	var req js.Value
	err := catchJS(func() {
		if version == 0 {
			req = factory.Call("open", name)
		} else {
			req = factory.Call("open", name, version)
		}
	})
	if err != nil {
		return js.Value{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	type outcome struct {
		db  js.Value
		err error
	}
	var (
		done       = make(chan outcome, 1)
		blocked    = make(chan struct{}, 1)
		upgrading  = make(chan struct{}, 1)
		abandoned  atomic.Bool
		upgradeErr error // written by onUpgrade, read after done
		funcs      []js.Func
	)
	release := func() {
		for _, f := range funcs {
			f.Release()
		}
	}
	finish := func(o outcome) {
		for _, ev := range []string{"onupgradeneeded", "onsuccess", "onerror", "onblocked"} {
			req.Set(ev, js.Null())
		}
		if abandoned.Load() {
			if o.err == nil {
				o.db.Call("close")
			}
			go release()
			return
		}
		done <- o
	}
	onUpgrade := js.FuncOf(func(_ js.Value, args []js.Value) any {
		tx := req.Get("transaction")
		if abandoned.Load() {
			tx.Call("abort")
			return nil
		}
		select {
		case upgrading <- struct{}{}:
		default:
		}
		if err := upgrade(req.Get("result"), tx, args[0].Get("oldVersion").Int()); err != nil {
			upgradeErr = err
			tx.Call("abort")
		}
		return nil
	})
	onSuccess := js.FuncOf(func(js.Value, []js.Value) any {
		finish(outcome{db: req.Get("result")})
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("preventDefault") // handled here; not an uncaught error
		err := jsError(req.Get("error"))
		if err == nil {
			err = errors.New("the open request failed")
		}
		finish(outcome{err: err})
		return nil
	})
	onBlocked := js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case blocked <- struct{}{}:
		default:
		}
		return nil
	})
	funcs = []js.Func{onUpgrade, onSuccess, onError, onBlocked}
	req.Set("onupgradeneeded", onUpgrade)
	req.Set("onsuccess", onSuccess)
	req.Set("onerror", onError)
	req.Set("onblocked", onBlocked)

	// giveUp leaves the request to close what it opens. JS runs no callback
	// between the Store and the drain, so the request either finished before
	// (and is drained here) or will see abandoned.
	giveUp := func() {
		abandoned.Store(true)
		select {
		case o := <-done:
			if o.err == nil {
				o.db.Call("close")
			}
			release()
		default:
		}
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	wasBlocked := false
	for {
		select {
		case o := <-done:
			release()
			if o.err != nil {
				if upgradeErr != nil {
					return js.Value{}, upgradeErr
				}
				return js.Value{}, o.err
			}
			return o.db, nil
		case <-blocked:
			wasBlocked = true
		case <-upgrading:
			// The upgrade has begun: it is the database's work, let it finish.
			timer.Stop()
		case <-timer.C:
			giveUp()
			if wasBlocked {
				return js.Value{}, fmt.Errorf("%w (gave up after %v)", ErrBlocked, timeout)
			}
			return js.Value{}, fmt.Errorf("%w (gave up after %v)", ErrOpenTimeout, timeout)
		case <-ctx.Done():
			giveUp()
			return js.Value{}, ctx.Err()
		}
	}
}

// openIDB opens the go-indexeddb connection at the version openRaw ensured.
func openIDB(ctx context.Context, factory js.Value, name string, version int, timeout time.Duration) (*idb.Database, error) {
	f, err := idb.WrapFactory(factory)
	if err != nil {
		return nil, err
	}
	// The upgrader runs only if the database vanished since openRaw (another
	// tab deleted it). It must not fail: go-indexeddb panics on an upgrader
	// error. The transactions then fail, naming the missing stores.
	// go-indexeddb installs its versionchange handler (which closes the
	// connection) on success, unless the context given here ended first: so
	// not ctx.
	req, err := f.Open(context.Background(), name, uint(version), func(*idb.Database, uint, uint) error { return nil })
	if err != nil {
		return nil, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	db, err := req.Await(waitCtx)
	if err == nil {
		return db, nil
	}
	if waitCtx.Err() != nil {
		// Given up on: close the connection if it opens after all.
		go func() {
			if db, err := req.Await(context.Background()); err == nil {
				_ = db.Close()
			}
		}()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w (gave up after %v)", ErrOpenTimeout, timeout)
	}
	return nil, err
}
