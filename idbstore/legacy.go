//go:build js && wasm

package idbstore

import (
	"fmt"
	"slices"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
	"github.com/localconv/localconv/internal/jsonx"
)

// Version 2 kept every message applied, one value each in the messages
// store. Version 3 keeps a conversation's tail (core.Tail) in its own value,
// so a database of version 2 opens at once, as it is, and its messages move
// into tails afterwards: a conversation's the first time a call reads its
// tail (Tails reads them from the messages store) and writes it (its
// messages there are deleted in the same transaction), and the others in
// the background, a few conversations a transaction (core's migration, which
// asks Unmigrated). Until then a conversation value has no tail property.

// conversationRange is every key of the conversation's messages in the
// messages store (and in the spill store, keyed alike): [conversationId,
// messageClientId] sorts after [conversationId] and before
// [conversationId, []], as arrays sort after strings.
func conversationRange(conversationID string) idb.Range {
	return idb.Between([]any{conversationID}, []any{conversationID, []any{}}, false, true)
}

// legacyTails reads, for the conversations ids[at...], their messages from
// the messages store into out[at...]: a clear marker (messageClientId "")
// as the tail's clear, the rest in order. The transaction remembers them, so
// that PutConversations deletes what it moved.
func (x *transaction) legacyTails(ids []string, at []int, out []*core.Tail) error {
	pending := make([]*idb.Pending, len(at))
	for j, i := range at {
		p, err := x.tx.GetAll(storeMessages, "", conversationRange(ids[i]))
		if err != nil {
			return err
		}
		pending[j] = p
	}
	for j, i := range at {
		values, err := valuesOf(pending[j])
		if err != nil {
			return err
		}
		t := &core.Tail{}
		for _, m := range dropNil(x.s.messagesFromJSON(values, nil, storeMessages)) {
			if m.MessageClientID == "" {
				t.ClearedTo, t.Cleared = m.CreateTime, true
				continue
			}
			t.Messages = append(t.Messages, m)
		}
		slices.SortFunc(t.Messages, func(a, b *core.MessageRecord) int { return a.Order().Compare(b.Order()) })
		out[i] = t
		if x.legacy == nil {
			x.legacy = map[string]bool{}
		}
		x.legacy[ids[i]] = true
	}
	return nil
}

// dropLegacy deletes the conversation's messages from the messages store if
// this transaction read them into its tail.
func (x *transaction) dropLegacy(conversationID string) error {
	if !x.legacy[conversationID] {
		return nil
	}
	delete(x.legacy, conversationID)
	return x.tx.DeleteRange(storeMessages, conversationRange(conversationID))
}

// Unmigrated returns up to n conversations whose messages are still in the
// messages store (core.MigratingTx). Messages of a conversation that has no
// value (none should exist) are deleted by a read-write transaction, and it
// looks further: nothing could ever move them.
func (x *transaction) Unmigrated(n int) ([]string, error) {
	for {
		ids, orphans, err := x.unmigrated(n)
		if err != nil || len(orphans) == 0 || !x.writable {
			return append(ids, orphans...), err
		}
		for _, id := range orphans {
			if err := x.tx.DeleteRange(storeMessages, conversationRange(id)); err != nil {
				return nil, err
			}
		}
		if len(ids) > 0 {
			return ids, nil
		}
	}
}

// unmigrated is the conversations of the messages store's first n keys,
// those with a value and those without.
func (x *transaction) unmigrated(n int) (ids, orphans []string, err error) {
	p, err := x.tx.GetAllKeys(storeMessages, idb.Range{}, n)
	if err != nil {
		return nil, nil, err
	}
	keys, err := valuesOf(p)
	if err != nil {
		return nil, nil, err
	}
	var all []string
	for _, k := range keys {
		parts, ok := k.([]any)
		if !ok || len(parts) != 2 {
			return nil, nil, fmt.Errorf("the messages store holds a key that is not [conversationId, messageClientId]: %v", k)
		}
		id, _ := parts[0].(string)
		if !slices.Contains(all, id) {
			all = append(all, id)
		}
	}
	if len(all) == 0 {
		return nil, nil, nil
	}
	values, err := x.getEach(storeConversations, len(all), func(b []byte, i int) []byte {
		return jsonx.AppendString(b, all[i])
	}, "id")
	if err != nil {
		return nil, nil, err
	}
	for i, v := range values {
		if v == nil {
			orphans = append(orphans, all[i])
		} else {
			ids = append(ids, all[i])
		}
	}
	return ids, orphans, nil
}
