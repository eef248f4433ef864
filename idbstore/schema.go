//go:build js && wasm

package idbstore

import (
	"fmt"
	"strings"
	"syscall/js"
)

// The layout, version 2.
//
//	conversations  key: id (the conversationId)
//	               value: {id, seq, sortOrder, rec}; tombstones have no sortOrder
//	               byChange:    seq              → ConversationsChangedSince
//	               bySortOrder: [sortOrder, id]  → Load, top of the list first;
//	                            tombstones are not in it, so Load skips them
//	                            without reading them
//	messages       key: [conversationId, messageClientId]
//	               value: {conversationId, messageClientId, createTime, rec}
//	               byTime: [conversationId, createTime] → MessagesAfter, and
//	                       NewestMessages read backwards (ties go by the primary
//	                       key, so by messageClientId)
//	meta           out-of-line keys; "seq" → the change sequence, a number;
//	               "account" → the account the database belongs to;
//	               "snapshot" → {seq, count, bytes}: every live conversation
//	               as of that change (snapshot.go), written by the Service;
//	               "readMarks" → the read marks (readmarks.go);
//	               "firstPage" → the top of the list as JSON, for the
//	               wrapper (firstpage.go)
//
// Version 1 had the same stores; its change index was named bySeq.
//
// rec is the record in the codec's bytes (codec.go); the other properties are
// plain so that keys and indexes work and DevTools shows which record is which.
const (
	storeConversations = "conversations"
	storeMessages      = "messages"

	indexChange    = "byChange"
	indexSortOrder = "bySortOrder"
	indexTime      = "byTime"
)

// needs is what this code reads and writes: each store with its key path and
// the indexes it uses with theirs. A database of a newer version (opened by a
// tab running newer code) is used as it is if it has all of them: a newer
// schema only adds stores and indexes, it never changes or removes these
// (checkNeeds).
var needs = []storeNeed{
	{storeConversations, "id", []indexNeed{{indexChange, "seq"}, {indexSortOrder, []any{"sortOrder", "id"}}}},
	{storeMessages, []any{"conversationId", "messageClientId"}, []indexNeed{{indexTime, []any{"conversationId", "createTime"}}}},
	{storeMeta, nil, nil},
}

type storeNeed struct {
	name    string
	keyPath any // nil: out-of-line keys
	indexes []indexNeed
}

type indexNeed struct {
	name    string
	keyPath any
}

// checkNeeds reports what db lacks of needs, naming it. It only looks at the
// schema (a transaction it starts and aborts reads nothing).
func checkNeeds(db js.Value) error {
	var missing []string
	names := db.Get("objectStoreNames")
	var present []string
	for _, st := range needs {
		if names.Call("contains", st.name).Bool() {
			present = append(present, st.name)
		} else {
			missing = append(missing, "store "+st.name)
		}
	}
	if len(present) > 0 {
		err := catchJS(func() {
			tx := db.Call("transaction", toAnySlice(present), "readonly")
			defer tx.Call("abort")
			for _, st := range needs {
				if !names.Call("contains", st.name).Bool() {
					continue
				}
				store := tx.Call("objectStore", st.name)
				if !sameKeyPath(store.Get("keyPath"), st.keyPath) {
					missing = append(missing, fmt.Sprintf("store %s with key path %v", st.name, st.keyPath))
				}
				for _, ix := range st.indexes {
					if !store.Get("indexNames").Call("contains", ix.name).Bool() {
						missing = append(missing, "index "+st.name+"."+ix.name)
					} else if !sameKeyPath(store.Call("index", ix.name).Get("keyPath"), ix.keyPath) {
						missing = append(missing, fmt.Sprintf("index %s.%s with key path %v", st.name, ix.name, ix.keyPath))
					}
				}
			}
		})
		if err != nil {
			return fmt.Errorf("checking the schema: %w", err)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("it lacks %s", strings.Join(missing, ", "))
	}
	return nil
}

// sameKeyPath compares a JS key path (null, a string or an array of strings)
// with a Go one (nil, a string or []any of strings).
func sameKeyPath(v js.Value, want any) bool {
	switch w := want.(type) {
	case nil:
		return v.IsNull() || v.IsUndefined()
	case string:
		return v.Type() == js.TypeString && v.String() == w
	case []any:
		if v.Type() != js.TypeObject || v.Get("length").Type() != js.TypeNumber || v.Length() != len(w) {
			return false
		}
		for i, p := range w {
			if !sameKeyPath(v.Index(i), p) {
				return false
			}
		}
		return true
	}
	return false
}

func toAnySlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// allStores is every transaction's scope: a call may touch any of them, and
// one scope for all keeps read-write transactions strictly one after another.
var allStores = []string{storeConversations, storeMessages, storeMeta}

// migration brings a database from one version to the next inside the
// versionchange transaction tx. It may only make synchronous calls (create or
// delete stores and indexes); it may not wait on requests.
type migration func(db, tx js.Value)

// schema is the list of migrations; the database version is its length.
type schema []migration

// currentSchema is the schema this code writes.
var currentSchema = schema{createV1, renameChangeIndex}

func (s schema) version() int { return len(s) }

// migrate runs the migrations from oldVersion up. A JS exception (e.g. an index
// that exists already) becomes an error, and the caller aborts the upgrade.
func (s schema) migrate(db, tx js.Value, oldVersion int) error {
	for v := oldVersion; v < len(s); v++ {
		if err := catchJS(func() { s[v](db, tx) }); err != nil {
			return fmt.Errorf("upgrading the schema from version %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

func createV1(db, _ js.Value) {
	convs := db.Call("createObjectStore", storeConversations, map[string]any{"keyPath": "id"})
	convs.Call("createIndex", "bySeq", "seq")
	convs.Call("createIndex", indexSortOrder, []any{"sortOrder", "id"})

	msgs := db.Call("createObjectStore", storeMessages, map[string]any{"keyPath": []any{"conversationId", "messageClientId"}})
	msgs.Call("createIndex", indexTime, []any{"conversationId", "createTime"})

	db.Call("createObjectStore", storeMeta)
}

// renameChangeIndex is version 2, which brought the read marks: a record of a
// database with read marks is not what it says without them, so code that
// does not know them must not use it. Version 1's code needs the bySeq
// index; renamed, it is missing for that code, which then works in memory
// and says so (checkNeeds) instead of counting cleared messages again.
func renameChangeIndex(_, tx js.Value) {
	convs := tx.Call("objectStore", storeConversations)
	convs.Call("deleteIndex", "bySeq")
	convs.Call("createIndex", indexChange, "seq")
}
