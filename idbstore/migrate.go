//go:build js && wasm

package idbstore

import (
	"fmt"

	"github.com/localconv/localconv/idbstore/internal/idb"
)

// needs is what this code reads and writes: each store with its key path and
// the indexes it uses with theirs. A database of a newer version (opened by a
// tab running newer code) is used as it is if it has all of them: a newer
// schema only adds stores and indexes, it never changes or removes these.
var needs = []idb.StoreSpec{
	{Name: storeConversations, KeyPath: "id", Indexes: []idb.IndexSpec{{Name: indexChange, KeyPath: "seq"}, {Name: indexSortOrder, KeyPath: []any{"sortOrder", "id"}}}},
	{Name: storeSpill, KeyPath: []any{"conversationId", "messageClientId"}},
	{Name: storeMessages, KeyPath: []any{"conversationId", "messageClientId"}},
	{Name: storeMeta},
}

// migration brings a database from one version to the next, inside the
// versionchange transaction: it creates and deletes stores and indexes, and
// waits on nothing.
type migration func(u *idb.Upgrade)

// schema is the list of migrations; the database version is its length.
type schema []migration

// currentSchema is the schema this code writes.
var currentSchema = schema{createV1, renameChangeIndex, tailsInConversations}

func (s schema) version() int { return len(s) }

// open is what idb.Open needs of s.
func (s schema) open() idb.Schema {
	return idb.Schema{Version: s.version(), Upgrade: s.migrate, Needs: needs}
}

// migrate runs the migrations from oldVersion up. The first that fails (an
// index that exists already, say) stops them, and the upgrade is aborted.
func (s schema) migrate(u *idb.Upgrade, oldVersion int) error {
	for v := oldVersion; v < len(s); v++ {
		s[v](u)
		if err := u.Err(); err != nil {
			return fmt.Errorf("upgrading the schema from version %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

func createV1(u *idb.Upgrade) {
	u.CreateStore(storeConversations, "id")
	u.CreateIndex(storeConversations, "bySeq", "seq")
	u.CreateIndex(storeConversations, indexSortOrder, []any{"sortOrder", "id"})
	u.CreateStore(storeMessages, []any{"conversationId", "messageClientId"})
	u.CreateIndex(storeMessages, "byTime", []any{"conversationId", "createTime"})
	u.CreateStore(storeMeta, nil)
}

// renameChangeIndex is version 2, which brought the read marks: a record of a
// database with read marks is not what it says without them, so code that
// does not know them must not use it. Version 1's code needs the bySeq
// index; renamed, it is missing for that code, which then works in memory
// and says so (needs) instead of counting cleared messages again.
func renameChangeIndex(u *idb.Upgrade) {
	u.DeleteIndex(storeConversations, "bySeq")
	u.CreateIndex(storeConversations, indexChange, "seq")
}

// tailsInConversations is version 3: a conversation's messages are kept in
// its own value, as its tail (those it keeps apart in the spill store), no
// longer one value each in the messages store
// (legacy.go moves them, after the upgrade, never in it: the database opens
// at once whatever it holds). Version 2's code would read the messages store
// and miss every message since, so it must not use this database: it needs
// the byTime index, which goes.
func tailsInConversations(u *idb.Upgrade) {
	u.CreateStore(storeSpill, []any{"conversationId", "messageClientId"})
	u.DeleteIndex(storeMessages, "byTime")
}
