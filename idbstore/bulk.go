//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"sync"
	"syscall/js"
	"unsafe"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/internal/jsonx"
)

// Batches of requests cost a few JS calls, however many records they hold,
// using only JS built-ins (no JS of our own, so a strict Content-Security-
// Policy is fine):
//
//	values  = JSON.parse(text)                        one call: every value
//	reqs    = values.map(Reflect.apply.bind(null, store.put, store))
//	                                                  one call: every put
//	results = reqs.map(Function.prototype.call, resultGetter)
//	text    = JSON.stringify(results)                 one call: every result
//
// where each element of values is an argument list ([value] for put, [key]
// for get) and resultGetter is IDBRequest.prototype's result getter. Going
// through go-indexeddb cost about 60 µs a request, and building a value from
// Go about 50 µs more: most of a batch's time (see bench/README.md).
var (
	jsJSON       = js.Global().Get("JSON")
	arrayMap     = js.Global().Get("Array").Get("prototype").Get("map")
	fnCall       = js.Global().Get("Function").Get("prototype").Get("call")
	fnBind       = js.Global().Get("Function").Get("prototype").Get("bind")
	reflectApply = js.Global().Get("Reflect").Get("apply")
	// Looked up on first use: where there is no IndexedDB there are no
	// IDBRequest or IDBRecord either, and the module must still start.
	requestResult = sync.OnceValue(func() js.Value { return getter("IDBRequest", "result") })
	requestError  = sync.OnceValue(func() js.Value { return getter("IDBRequest", "error") })
	recordValue   = sync.OnceValue(func() js.Value { return getter("IDBRecord", "value") })
)

// getter is the getter of a property of a class's prototype.
func getter(class, property string) js.Value {
	return js.Global().Get("Object").Call("getOwnPropertyDescriptor", js.Global().Get(class).Get("prototype"), property).Get("get")
}

// issueEach calls target[method](...args) for n argument lists, list i
// written by item as the JSON of its arguments (without brackets), and
// returns the JS array of what each call returned. The lists reach JS as
// JSON texts of about issueBytes, built one after the other in one buffer, so
// that a batch of any size holds no more than that in Go at once.
func issueEach(target js.Value, method string, n int, item func(b []byte, i int) []byte) (reqs js.Value, err error) {
	b := make([]byte, 0, min(issueBytes, 64+n*256)+4<<10)
	err = catchJS(func() {
		bound := fnBind.Call("call", reflectApply, js.Null(), target.Get(method), target)
		reqs = js.Global().Get("Array").New()
		for i := 0; i < n; {
			b = append(b[:0], '[')
			for first := i; i < n && (i == first || len(b) < issueBytes); i++ {
				if i > first {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = item(b, i)
				b = append(b, ']')
			}
			b = append(b, ']')
			// JSON.parse copies the text into JS before b is written again.
			lists := jsJSON.Call("parse", unsafe.String(unsafe.SliceData(b), len(b)))
			reqs = reqs.Call("concat", arrayMap.Call("call", lists, bound))
		}
	})
	return reqs, err
}

// issueBytes bounds the JSON text of one piece of an issueEach batch.
const issueBytes = 256 << 10

// resultsJSON waits for a batch of requests (they complete in order, so the
// last one's success means all succeeded) and returns their results as one
// JSON array.
func resultsJSON(ctx context.Context, reqs js.Value) ([]any, error) {
	n := reqs.Length()
	if n == 0 {
		return nil, nil
	}
	if _, err := awaitRequest(ctx, reqs.Index(n-1)); err != nil {
		return nil, err
	}
	var text string
	if err := catchJS(func() {
		text = jsJSON.Call("stringify", arrayMap.Call("call", reqs, fnCall, requestResult())).String()
	}); err != nil {
		return nil, err
	}
	return parseArray(text)
}

// resultJSON waits for one request whose result is an array of values (a
// getAll) and returns them parsed.
func resultJSON(ctx context.Context, req js.Value) ([]any, error) {
	v, err := awaitRequest(ctx, req)
	if err != nil {
		return nil, err
	}
	var text string
	if err := catchJS(func() { text = jsJSON.Call("stringify", v).String() }); err != nil {
		return nil, err
	}
	return parseArray(text)
}

func parseArray(text string) ([]any, error) {
	v, err := jsonx.Parse([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("reading values back: %w", err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("reading values back: not an array")
	}
	return list, nil
}

// recordsFromJSON decodes stored values with decode (nil entries stay nil);
// one that cannot be decoded is reported, by name(i), and left nil.
func recordsFromJSON[R any](s *Store, values []any, decode func([]byte) (*R, error), name func(i int) string) []*R {
	out := make([]*R, len(values))
	for i, v := range values {
		if v == nil {
			continue
		}
		b, err := recBytes(v)
		var r *R
		if err == nil {
			r, err = decode(b)
		}
		if err != nil {
			s.reportCorrupt(name(i), err)
			continue
		}
		out[i] = r
	}
	return out
}

// conversationsFromJSON decodes stored conversation values, naming a bad one
// by ids[i] if given, else by its own id.
func (s *Store) conversationsFromJSON(values []any, ids []string) []*core.ConversationRecord {
	return recordsFromJSON(s, values, decodeConversation, func(i int) string {
		if ids != nil {
			return conversationKeyName(ids[i])
		}
		return conversationKeyName(valueID(values[i], "id")[0])
	})
}

// messagesFromJSON decodes stored message values, as conversationsFromJSON.
func (s *Store) messagesFromJSON(values []any, keys []core.MessageKey) []*core.MessageRecord {
	return recordsFromJSON(s, values, decodeMessage, func(i int) string {
		if keys != nil {
			return messageKeyName(keys[i].ConversationID, keys[i].MessageClientID)
		}
		id := valueID(values[i], "conversationId", "messageClientId")
		return messageKeyName(id[0], id[1])
	})
}

func dropNil[T any](list []*T) []*T {
	out := list[:0]
	for _, r := range list {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}
