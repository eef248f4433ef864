//go:build js && wasm

package idbstore

import (
	"fmt"
	"syscall/js"
)

// The layout, version 1.
//
//	conversations  key: id (the conversationId)
//	               value: {id, seq, sortOrder, rec}; tombstones have no sortOrder
//	               bySeq:       seq              → ConversationsChangedSince
//	               bySortOrder: [sortOrder, id]  → Load, top of the list first;
//	                            tombstones are not in it, so Load skips them
//	                            without reading them
//	messages       key: [conversationId, messageClientId]
//	               value: {conversationId, messageClientId, createTime, rec}
//	               byTime: [conversationId, createTime] → MessagesAfter, and
//	                       NewestMessages read backwards (ties go by the primary
//	                       key, so by messageClientId)
//	meta           out-of-line keys; "seq" → the change sequence, a number;
//	               "snapshot" → {seq, count, bytes}: every live conversation
//	               as of that change (snapshot.go), written by the Service
//
// rec is the record in the codec's bytes (codec.go); the other properties are
// plain so that keys and indexes work and DevTools shows which record is which.
const (
	storeConversations = "conversations"
	storeMessages      = "messages"
	storeMeta          = "meta"

	indexSeq       = "bySeq"
	indexSortOrder = "bySortOrder"
	indexTime      = "byTime"

	metaSeq = "seq"
)

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
var currentSchema = schema{createV1}

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
	convs.Call("createIndex", indexSeq, "seq")
	convs.Call("createIndex", indexSortOrder, []any{"sortOrder", "id"})

	msgs := db.Call("createObjectStore", storeMessages, map[string]any{"keyPath": []any{"conversationId", "messageClientId"}})
	msgs.Call("createIndex", indexTime, []any{"conversationId", "createTime"})

	db.Call("createObjectStore", storeMeta)
}
