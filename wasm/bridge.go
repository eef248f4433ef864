//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"syscall/js"
	"unsafe"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/internal/bufpool"
	"github.com/localconv/localconv/internal/jstext"
)

// bridge is the JS-callable surface of the module: one object with open and
// call. Everything crosses as strings (JSON): one string per call rather than
// a JS object read field by field, and the very strings js/worker.js and
// js/remote.js carry over postMessage in the worker placements. Argument
// rules live in core (core.Service.Call), not here.
type bridge struct {
	mu        sync.Mutex
	next      int
	services  map[int]*core.Service
	openStore func(opts openOptions, lost func(reason string)) (core.Store, error)
	queryBuf  []byte
	// hubs holds, in a SharedWorker, per account and database, a session of
	// the hub that serves them: another tab's open() of the same database
	// attaches to it, so all tabs share one cache. The session may be closed
	// (Attach needs only its hub); the entry goes once the hub stopped, so a
	// stopped hub's cache is not kept. Elsewhere every open() has a hub, a
	// connection and a cache of its own, as a tab would.
	hubs map[string]*core.Service
}

// openOptions is what open() takes after the JS wrapper's own checks.
type openOptions = core.OpenOptions

func newBridge(openStore func(openOptions, func(string)) (core.Store, error)) *bridge {
	return &bridge{services: map[int]*core.Service{}, hubs: map[string]*core.Service{}, openStore: openStore}
}

// jsObject returns the object handed to JS: {open, call, stats,
// abortTransactions}.
func (b *bridge) jsObject() js.Value {
	obj := js.Global().Get("Object").New()
	obj.Set("open", js.FuncOf(b.jsOpen))
	obj.Set("call", js.FuncOf(b.jsCall))
	obj.Set("stats", js.FuncOf(b.jsStats))
	obj.Set("abortTransactions", js.FuncOf(jsAbortTransactions))
	return obj
}

// jsStats is stats() → {hubs, sessions}: how many caches this module keeps
// and how many open()s they serve. For tests and debugging, not app API.
func (b *bridge) jsStats(this js.Value, args []js.Value) any {
	b.mu.Lock()
	defer b.mu.Unlock()
	hubs, sessions := 0, 0
	for _, svc := range b.hubs {
		if n := svc.Sessions(); n > 0 {
			hubs++
			sessions += n
		}
	}
	return map[string]any{"hubs": hubs, "sessions": sessions}
}

// jsOpen is open(optionsJSON, onEvents) → Promise<handle>. onEvents(eventsJSON)
// receives each batch of events, synchronously, before the call that caused
// them resolves.
func (b *bridge) jsOpen(this js.Value, args []js.Value) any {
	if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeFunction {
		return rejected(&core.Error{Code: core.CodeInvalidParam, Message: "open(optionsJSON, onEvents) needs a string and a function"})
	}
	optsJSON, onEvents := args[0].String(), args[1]
	return promise(func(resolve func(any), reject func(*core.Error)) {
		opts, err := core.DecodeOpenOptions([]byte(optsJSON))
		if err != nil {
			reject(core.AsError(err))
			return
		}
		handle, svc, attached, err := b.open(opts, func(events []core.Event) {
			core.EncodeEventGroups(events, eventGroupBytes, func(b []byte) {
				// Invoke copies the string into JS before b is written again.
				onEvents.Invoke(unsafe.String(unsafe.SliceData(b), len(b)))
			})
		})
		if err != nil {
			reject(core.AsError(err))
			return
		}
		if attached { // the hub's sync is over; the session heard its events
			resolve(handle)
			return
		}
		var err2 error
		if opts.WaitForSync {
			err2 = svc.Sync(context.Background(), nil)
		} else {
			err2 = svc.Sync(context.Background(), func() { resolve(handle) })
		}
		if err2 != nil { // refused: the database is another account's
			b.forget(handle, svc)
			reject(core.AsError(err2))
			return
		}
		resolve(handle)
	})
}

// open opens a session: on the hub already serving the account's database
// if there is one (attached), else on a new hub, not synced yet.
func (b *bridge) open(opts openOptions, listener core.Listener) (h int, svc *core.Service, attached bool, err error) {
	key := ""
	if inSharedWorker && opts.Storage != core.StorageMemory { // an in-memory list is each open()'s own
		key = opts.AccountID + "\x00" + opts.DBName
	}
	b.mu.Lock()
	existing := b.hubs[key]
	b.mu.Unlock()
	// A hub that lost its database works in memory for the tabs it has; a new
	// tab opens the database afresh instead.
	if existing != nil && !existing.FellBackToMemory() {
		if svc, err = existing.Attach(listener); err == nil {
			return b.register(svc), svc, true, nil
		} // closed meanwhile: open a new hub
	}
	lost := func(reason string) {
		// From a JS event handler: StorageLost waits for the call in flight.
		go svc.StorageLost(reason)
	}
	store, err := b.openStore(opts, lost)
	if err != nil {
		return 0, nil, false, err
	}
	svc, err = core.New(core.Options{AccountID: opts.AccountID, Store: store, Listener: listener})
	if err != nil {
		return 0, nil, false, err
	}
	if key != "" {
		b.mu.Lock()
		b.hubs[key] = svc
		b.mu.Unlock()
	}
	return b.register(svc), svc, false, nil
}

// forget drops a service that was refused before it started.
func (b *bridge) forget(handle int, svc *core.Service) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.services, handle)
	for k, s := range b.hubs {
		if s == svc {
			delete(b.hubs, k)
		}
	}
}

// dropStopped forgets the hub of svc, a session just closed, once its last
// session closed: the next open() of its database opens a new hub.
func (b *bridge) dropStopped(svc *core.Service) {
	if svc.Sessions() > 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, s := range b.hubs {
		if s.Sessions() == 0 {
			delete(b.hubs, k)
		}
	}
}

func (b *bridge) register(svc *core.Service) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	b.services[b.next] = svc
	return b.next
}

// jsCall is call(handle, method, argsJSON) → Promise<resultJSON | undefined>.
func (b *bridge) jsCall(this js.Value, args []js.Value) any {
	if len(args) < 3 || args[0].Type() != js.TypeNumber || args[1].Type() != js.TypeString || args[2].Type() != js.TypeString {
		return rejected(&core.Error{Code: core.CodeInvalidParam, Message: "call(handle, method, argsJSON) needs a number and two strings"})
	}
	h, method := args[0].Int(), args[1].String()
	b.mu.Lock()
	svc := b.services[h]
	if method == "close" {
		delete(b.services, h)
	}
	b.mu.Unlock()
	if svc == nil {
		return rejected(core.ErrClosed)
	}
	// The arguments are only read, and only during the call: their buffer
	// is reused once it is over.
	buf := bufpool.Get()
	*buf = jstext.Into(args[2], *buf)
	if core.IsQuery(method) {
		defer bufpool.Put(buf)
		return b.query(svc, method, *buf)
	}
	return promise(func(resolve func(any), reject func(*core.Error)) {
		out, err := svc.Call(context.Background(), method, *buf)
		bufpool.Put(buf)
		if method == "close" {
			b.dropStopped(svc)
		}
		if err != nil {
			reject(core.AsError(err))
			return
		}
		if out == nil {
			resolve(js.Undefined())
			return
		}
		resolve(unsafe.String(unsafe.SliceData(out), len(out)))
	})
}

// query answers a query at once: it only reads the cache and never waits
// (core.IsQuery), so no goroutine, no executor and no waiting are needed, and
// its result is written into one buffer reused by every query (queries run
// one at a time, here in the JS callback).
func (b *bridge) query(svc *core.Service, method string, args []byte) (result js.Value) {
	defer func() {
		if r := recover(); r != nil {
			result = rejected(&core.Error{Code: core.CodeInternal, Message: fmt.Sprintf("internal error: %v\n%s", r, debug.Stack())})
		}
	}()
	out, err := svc.AppendCall(b.queryBuf[:0], context.Background(), method, args)
	if err != nil {
		return rejected(core.AsError(err))
	}
	if out == nil {
		return jsPromise.Call("resolve", js.Undefined())
	}
	b.queryBuf = out[:0]
	// js.ValueOf copies the bytes into a JS string before the buffer is reused.
	return jsPromise.Call("resolve", unsafe.String(unsafe.SliceData(out), len(out)))
}

var jsPromise = js.Global().Get("Promise")

// inSharedWorker: the module serves every tab of the origin.
var inSharedWorker = func() bool {
	scope := js.Global().Get("SharedWorkerGlobalScope")
	return scope.Type() == js.TypeFunction && js.Global().InstanceOf(scope)
}()

// promise runs work in a goroutine (a js.FuncOf must never block) behind a
// Promise. A panic becomes a 190001 rejection instead of killing the module.
func promise(work func(resolve func(any), reject func(*core.Error))) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(this js.Value, args []js.Value) any {
		resolveFn, rejectFn := args[0], args[1]
		executor.Release()
		go func() {
			settled := false
			resolve := func(v any) {
				if !settled {
					settled = true
					resolveFn.Invoke(v)
				}
			}
			reject := func(e *core.Error) {
				if !settled {
					settled = true
					rejectFn.Invoke(errorValue(e))
				}
			}
			defer func() {
				if r := recover(); r != nil {
					reject(&core.Error{Code: core.CodeInternal, Message: fmt.Sprintf("internal error: %v\n%s", r, debug.Stack())})
				}
			}()
			work(resolve, reject)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

func rejected(e *core.Error) js.Value {
	return js.Global().Get("Promise").Call("reject", errorValue(e))
}

// errorValue is a plain {code, message}; the wrapper makes it a LocalConvError.
func errorValue(e *core.Error) js.Value {
	obj := js.Global().Get("Object").New()
	obj.Set("code", e.Code)
	obj.Set("message", e.Message)
	return obj
}

// eventGroupBytes bounds the JSON of one onEvents call: a large call's events
// reach JS in several (core.EncodeEventGroups).
const eventGroupBytes = 256 << 10
