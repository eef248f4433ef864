package core

import "github.com/google/btree"

// cache is a Service's in-memory view of the live conversations: the map, the
// sorted indexes that serve pages without walking the list, and the unread
// aggregates that serve every count in constant time.
//
// Records in the cache are never modified; a change replaces the record.
type cache struct {
	seq uint64 // the store change sequence the cache is as of
	// marks are the store's read marks as of seq; every record in the cache
	// is as they make it (readmarks.go).
	marks ReadMarks
	convs map[string]*ConversationRecord
	// tombs are the deleted conversations' tombstones: with them the cache
	// knows every record the store has, so a call never reads the store to
	// learn that a conversation is new or what read time it had.
	tombs map[string]*ConversationRecord
	// byType[t-1] holds the conversations of type t in list order;
	// unreadByType[t-1] only those with unread > 0 (onlyUnread pages).
	byType       [conversationTypes]*btree.BTreeG[*ConversationRecord]
	unreadByType [conversationTypes]*btree.BTreeG[*ConversationRecord]
	// unread[t-1][muted] sums the unread counts of the conversations of type t
	// that are (1) or are not (0) muted: a filter's count is a sum of a few of them.
	unread [conversationTypes][2]int64
	pinned int
}

// listOrder is the list order: sortOrder descending, ties by conversationId
// ascending in UTF-16 order (see CompareStrings).
func listOrder(a, b *ConversationRecord) bool {
	if a.SortOrder != b.SortOrder {
		return a.SortOrder > b.SortOrder
	}
	return lessString(a.ConversationID, b.ConversationID)
}

func newCache() *cache {
	c := &cache{convs: map[string]*ConversationRecord{}, tombs: map[string]*ConversationRecord{}}
	for i := range c.byType {
		c.byType[i] = btree.NewG(32, listOrder)
		c.unreadByType[i] = btree.NewG(32, listOrder)
	}
	return c
}

// put makes rec the conversation's state; a tombstone removes it from the list.
func (c *cache) put(rec *ConversationRecord) {
	id := rec.ConversationID
	old := c.convs[id]
	if old != nil && rec.live() && old.SortOrder == rec.SortOrder {
		c.replace(old, rec)
		return
	}
	if old != nil {
		c.unindex(old)
		delete(c.convs, id)
	}
	if rec.live() {
		delete(c.tombs, id)
		c.convs[id] = rec
		c.index(rec)
	} else {
		c.tombs[id] = rec
	}
}

// all yields every record, live ones then tombstones.
func (c *cache) all(yield func(*ConversationRecord) bool) {
	for _, m := range []map[string]*ConversationRecord{c.convs, c.tombs} {
		for _, r := range m {
			if !yield(r) {
				return
			}
		}
	}
}

// record is the conversation's record, live or tombstone, or nil.
func (c *cache) record(id string) *ConversationRecord {
	if r := c.convs[id]; r != nil {
		return r
	}
	return c.tombs[id]
}

func (c *cache) index(r *ConversationRecord) {
	i := r.Type - 1
	c.byType[i].ReplaceOrInsert(r)
	if r.UnreadCount > 0 {
		c.unreadByType[i].ReplaceOrInsert(r)
	}
	c.unread[i][b2i(r.Mute)] += int64(r.UnreadCount)
	if r.StickTop {
		c.pinned++
	}
}

// replace puts rec in the place of old, a record at the same position in the
// list (as a clear leaves it): one step in each index instead of a removal
// and an insertion.
func (c *cache) replace(old, rec *ConversationRecord) {
	c.convs[rec.ConversationID] = rec
	i := rec.Type - 1
	c.byType[i].ReplaceOrInsert(rec)
	switch {
	case rec.UnreadCount > 0:
		c.unreadByType[i].ReplaceOrInsert(rec)
	case old.UnreadCount > 0:
		c.unreadByType[i].Delete(old)
	}
	c.unread[i][b2i(old.Mute)] -= int64(old.UnreadCount)
	c.unread[i][b2i(rec.Mute)] += int64(rec.UnreadCount)
	c.pinned += b2i(rec.StickTop) - b2i(old.StickTop)
}

func (c *cache) unindex(r *ConversationRecord) {
	i := r.Type - 1
	c.byType[i].Delete(r)
	if r.UnreadCount > 0 {
		c.unreadByType[i].Delete(r)
	}
	c.unread[i][b2i(r.Mute)] -= int64(r.UnreadCount)
	if r.StickTop {
		c.pinned--
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (c *cache) total() int64 {
	var n int64
	for _, byMute := range c.unread {
		n += byMute[0] + byMute[1]
	}
	return n
}

// filterCount is the unread count over the conversations f matches.
func (c *cache) filterCount(f Filter) int64 {
	var n int64
	for t := TypeP2P; t <= TypeSuperTeam; t++ {
		if !typeSelected(f.ConversationTypes, t) {
			continue
		}
		n += c.unread[t-1][0]
		if !f.IgnoreMuted {
			n += c.unread[t-1][1]
		}
	}
	return n
}

// typeSelected reports whether t is in types; no types selects every type.
func typeSelected(types []ConversationType, t ConversationType) bool {
	if len(types) == 0 {
		return true
	}
	for _, s := range types {
		if s == t {
			return true
		}
	}
	return false
}

// cursor is a position in list order: items after it come next (and the item
// at it too if inclusive).
type cursor struct {
	start     bool // before everything
	at        ConversationRecord
	inclusive bool
}

// page returns up to limit conversations after cur among those of the given
// types (all when empty), only the unread ones if onlyUnread, and whether more
// follow. It merges the per-type indexes, so it costs O(limit · log n).
func (c *cache) page(types []ConversationType, onlyUnread bool, cur cursor, limit int) ([]*ConversationRecord, bool) {
	var lists [][]*ConversationRecord
	for t := TypeP2P; t <= TypeSuperTeam; t++ {
		if !typeSelected(types, t) {
			continue
		}
		tree := c.byType[t-1]
		if onlyUnread {
			tree = c.unreadByType[t-1]
		}
		var items []*ConversationRecord
		take := func(r *ConversationRecord) bool {
			if !cur.start && !cur.inclusive && !listOrder(&cur.at, r) {
				return true // the cursor item itself
			}
			items = append(items, r)
			return len(items) <= limit
		}
		if cur.start {
			tree.Ascend(take)
		} else {
			tree.AscendGreaterOrEqual(&cur.at, take)
		}
		lists = append(lists, items)
	}
	merged := mergeLists(lists, limit+1)
	if len(merged) > limit {
		return merged[:limit], true
	}
	return merged, false
}

// mergeLists merges lists already in list order, keeping the first n.
func mergeLists(lists [][]*ConversationRecord, n int) []*ConversationRecord {
	if len(lists) == 1 {
		if len(lists[0]) > n {
			return lists[0][:n]
		}
		return lists[0]
	}
	var out []*ConversationRecord
	for len(out) < n {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || listOrder(l[0], lists[best][0])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, lists[best][0])
		lists[best] = lists[best][1:]
	}
	return out
}

// pinnedList returns the pinned conversations in list order.
func (c *cache) pinnedList() []*ConversationRecord {
	var lists [][]*ConversationRecord
	for _, tree := range c.byType {
		var items []*ConversationRecord
		tree.Ascend(func(r *ConversationRecord) bool {
			if !r.StickTop {
				return false
			}
			items = append(items, r)
			return true
		})
		lists = append(lists, items)
	}
	return mergeLists(lists, c.pinned)
}
