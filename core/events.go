package core

import (
	"cmp"
	"slices"
)

// Event types (docs/api.md §4).
const (
	EventSyncStarted                 = "syncStarted"
	EventSyncFinished                = "syncFinished"
	EventSyncFailed                  = "syncFailed"
	EventConversationCreated         = "conversationCreated"
	EventConversationDeleted         = "conversationDeleted"
	EventConversationChanged         = "conversationChanged"
	EventConversationReadTimeUpdated = "conversationReadTimeUpdated"
	EventTotalUnreadCountChanged     = "totalUnreadCountChanged"
	EventUnreadCountChangedByFilter  = "unreadCountChangedByFilter"
)

// maxEventConversations bounds the conversations of one conversationChanged
// or conversationDeleted event (docs/api.md §4): a call that changes more
// tells of them in consecutive events, so that no one event's JSON grows with
// the list.
const maxEventConversations = 1000

// Event is one DOM CustomEvent to be: its type and its detail, whose Go type
// depends on Type: nil (sync started/finished), *Error (syncFailed),
// Conversation (created), []string (deleted), []Conversation (changed),
// ReadTimeUpdate, int64 (total), FilterCount.
type Event struct {
	Type   string
	Detail any
}

// ReadTimeUpdate is conversationReadTimeUpdated's detail.
type ReadTimeUpdate struct {
	ConversationID string `json:"conversationId"`
	ReadTime       int64  `json:"readTime"`
}

// FilterCount is unreadCountChangedByFilter's detail.
type FilterCount struct {
	Filter      Filter `json:"filter"`
	UnreadCount int64  `json:"unreadCount"`
}

// Listener receives the events of one call, or of one catch-up with changes
// made elsewhere, in docs/api.md §4's order. It is called before the call returns and
// must not call the Service.
type Listener func([]Event)

// batch is one call's (or catch-up's) events: those every session hears, and
// each session's own filter counts, which come last.
type batch struct {
	common  []Event
	filters map[*Service][]Event
}

// applyChanges puts changed records (tombstones for deletions) into the cache
// and returns the events that tell of it. It is the one place events are made,
// for a tab's own calls and for changes it learns from other tabs alike, so
// every tab tells the same story. A read-time mark is news if it was made after
// markedAfter, the change sequence the tab last knew.
func (h *hub) applyChanges(changes []*ConversationRecord, markedAfter uint64) batch {
	changes = slices.DeleteFunc(slices.Clone(changes), func(r *ConversationRecord) bool { return !h.owns(r) })
	if len(changes) == 0 {
		return batch{}
	}
	// One order for the acting tab and for the tabs that catch up (which read
	// the records back in database order): by change sequence, then id.
	slices.SortFunc(changes, func(a, b *ConversationRecord) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), CompareStrings(a.ConversationID, b.ConversationID))
	})
	c := h.cache
	totalBefore := c.total()
	filtersBefore := map[*Service][]int64{}
	for _, s := range h.sessions {
		for _, f := range s.filters {
			filtersBefore[s] = append(filtersBefore[s], c.filterCount(f))
		}
	}

	var created []Event
	var deleted []string
	changed := make([]Conversation, 0, len(changes))
	var readTimes []Event
	for _, rec := range changes {
		old := c.convs[rec.ConversationID]
		c.put(rec)
		switch {
		case old == nil && rec.live():
			created = append(created, Event{EventConversationCreated, rec.Conversation})
		case old != nil && !rec.live():
			deleted = append(deleted, rec.ConversationID)
		// updateTime alone differs when a tab catches up over changes that
		// undid each other (another tab's message, then a third tab marking
		// its current conversation read): the app's list needs it too.
		case old != nil && (!rec.sameContent(&old.Conversation) || rec.UpdateTime != old.UpdateTime):
			changed = append(changed, rec.Conversation)
		}
		if rec.live() && rec.ReadMarkSeq > markedAfter {
			readTimes = append(readTimes, Event{EventConversationReadTimeUpdated,
				ReadTimeUpdate{rec.ConversationID, rec.ReadTime}})
		}
	}

	events := created
	for len(deleted) > 0 {
		n := min(len(deleted), maxEventConversations)
		events = append(events, Event{EventConversationDeleted, deleted[:n:n]})
		deleted = deleted[n:]
	}
	for len(changed) > 0 {
		n := min(len(changed), maxEventConversations)
		events = append(events, Event{EventConversationChanged, changed[:n:n]})
		changed = changed[n:]
	}
	events = append(events, readTimes...)
	if total := c.total(); total != totalBefore {
		events = append(events, Event{EventTotalUnreadCountChanged, total})
	}
	b := batch{common: events}
	for _, s := range h.sessions {
		for i, f := range s.filters {
			if n := c.filterCount(f); n != filtersBefore[s][i] {
				if b.filters == nil {
					b.filters = map[*Service][]Event{}
				}
				b.filters[s] = append(b.filters[s], Event{EventUnreadCountChangedByFilter, FilterCount{f, n}})
			}
		}
	}
	return b
}
