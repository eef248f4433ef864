//go:build js && wasm

package idb

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall/js"
	"time"

	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// Open opens the database called name at s's version, upgrading it if it is
// older, and returns the connection. A database of a newer version is opened
// at its own version if it has all that s needs. Opening gives up after
// timeout while other connections keep it from going on (ErrBlocked), unless
// an upgrade is under way. lost is told, from a JS event handler (so it must
// not block), when the connection is closed from outside: versionChange if
// another tab opened a newer version or deleted the database, else the
// browser closed it.
//
// It opens twice. First raw (upgrade below), where the schema is brought up
// to date; then through go-indexeddb at the version found, which never
// upgrades. The first connection closes once the second is open, so that
// the database cannot vanish in between: the Store holds one connection.
func Open(ctx context.Context, name string, s Schema, timeout time.Duration, lost func(versionChange bool)) (*DB, error) {
	factory := js.Global().Get("indexedDB")
	if factory.Type() != js.TypeObject {
		return nil, fmt.Errorf("%w (globalThis.indexedDB is %s)", ErrUnavailable, factory.Type())
	}
	up, err := upgrade(ctx, factory, name, s, timeout)
	if err != nil {
		return nil, err
	}
	// Let a newer tab's upgrade through meanwhile: the handler is called with
	// the connection as this.
	up.Set("onversionchange", up.Get("close"))
	version := up.Get("version").Int()
	db, raw, err := openWrapped(ctx, factory, name, version, timeout)
	up.Call("close")
	if err != nil {
		return nil, err
	}
	if version > s.Version {
		if err := lacks(db, s.Needs); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("the database has a newer schema (version %d) than this code's (version %d), and %w; reload to get the new code", version, s.Version, err)
		}
	}
	return newDB(db, raw, version, lost), nil
}

// upgrade opens the database raw at s's version, migrating it if it is older.
// go-indexeddb's Open cannot: it panics inside the JS callback when an
// upgrader fails, tells nothing of a blocked request (another tab holding an
// older version open), and does not give out the versionchange transaction,
// which adding an index to an existing store needs.
func upgrade(ctx context.Context, factory js.Value, name string, s Schema, timeout time.Duration) (js.Value, error) {
	db, err := openRequest(ctx, factory, name, s.Version, func(db, tx js.Value, oldVersion int) error {
		return s.Upgrade(&Upgrade{db: db, tx: tx}, oldVersion)
	}, timeout)
	if err == nil || !IsName(err, "VersionError") {
		return db, err
	}
	// Newer than s: open whatever version it is. An upgrade then means that
	// the database vanished in between (another tab deleted it), and this
	// request would create it empty at version 1, with none of s's stores.
	return openRequest(ctx, factory, name, 0, func(_, _ js.Value, _ int) error {
		return errors.New("the database was deleted while it was being opened")
	}, timeout)
}

// openRequest opens the database at version (0: at whatever version it has),
// running upgrade in the versionchange transaction if it is older. It gives up
// after timeout unless an upgrade is under way; a request given up on closes
// (or aborts its upgrade) as soon as it completes, so that it holds nothing
// open. Its handlers only send on channels: a JS event handler may not block.
func openRequest(ctx context.Context, factory js.Value, name string, version int, upgrade func(db, tx js.Value, oldVersion int) error, timeout time.Duration) (js.Value, error) {
	var req js.Value
	err := catch(func() {
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
		err := errorOf(req.Get("error"))
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

// openWrapped opens go-indexeddb's connection at the version upgrade left,
// and gives its IDBDatabase too (the open request's result), for the events
// go-indexeddb does not pass on.
func openWrapped(ctx context.Context, factory js.Value, name string, version int, timeout time.Duration) (*goidb.Database, js.Value, error) {
	f, err := goidb.WrapFactory(factory)
	if err != nil {
		return nil, js.Value{}, err
	}
	// The upgrader runs only if the database vanished since upgrade (another
	// tab deleted it). It must not fail: go-indexeddb panics on an upgrader
	// error. The transactions then fail, naming the missing stores.
	// go-indexeddb installs its versionchange handler (which closes the
	// connection) on success, unless the context given here ended first: so
	// not ctx.
	req, err := f.Open(context.Background(), name, uint(version), func(*goidb.Database, uint, uint) error { return nil })
	if err != nil {
		return nil, js.Value{}, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := await(waitCtx, req.Request)
	if err == nil {
		db, err := req.Result()
		return db, raw, err
	}
	if waitCtx.Err() == nil {
		return nil, js.Value{}, err
	}
	// Given up on: close the connection, now if it opened meanwhile, else
	// once it opens.
	closeIt := func() {
		if db, err := req.Result(); err == nil {
			_ = db.Close()
		}
	}
	if state, _ := req.ReadyState(); state == "done" {
		closeIt()
	} else {
		go func() {
			if _, err := await(context.Background(), req.Request); err == nil {
				closeIt()
			}
		}()
	}
	if ctx.Err() != nil {
		return nil, js.Value{}, ctx.Err()
	}
	return nil, js.Value{}, fmt.Errorf("%w (gave up after %v)", ErrOpenTimeout, timeout)
}

// Delete deletes the database called name. Its connections are asked to
// close; if one does not within timeout, or ctx ends first, Delete gives up
// with ErrBlocked (the deletion still happens once the last one closes).
func Delete(ctx context.Context, name string, timeout time.Duration) error {
	factory := js.Global().Get("indexedDB")
	if factory.Type() != js.TypeObject {
		return ErrUnavailable
	}
	f, err := goidb.WrapFactory(factory)
	if err != nil {
		return err
	}
	req, err := f.DeleteDatabase(name)
	if err != nil {
		return err
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err = await(waitCtx, req.Request)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (another connection stays open)", ErrBlocked)
	}
	return err
}
