// Read marks: clearing the unread of a whole type (clearTotalUnreadCount,
// clearUnreadCountByTypes) as one small record instead of a rewrite of every
// conversation (docs/design.md, "Read marks").

package core

import "slices"

// ReadMark records one clear of a conversation type: every conversation of
// the type that was live when the change Seq committed, and was last written
// before it, was marked read at Time. A clear writes the conversations it
// cannot describe so (those with a message newer than Time) individually, so
// for every other one marking read at Time means: read time := max(read time,
// Time), unread := 0, updateTime := Time if the unread count moved.
type ReadMark struct {
	Seq  uint64
	Time int64
}

// ReadMarks are each type's marks, oldest first, their Seq and Time both
// ascending. A store keeps them beside the records; a record read from the
// store is what apply makes of it, never what was written.
type ReadMarks [conversationTypes][]ReadMark

// maxReadMarks bounds each type's marks: the clear that would add one more
// rewrites the type's conversations instead and drops its marks, so that a
// record never needs a long history.
const maxReadMarks = 16

func (m *ReadMarks) equal(o *ReadMarks) bool {
	for i := range m {
		if !slices.Equal(m[i], o[i]) {
			return false
		}
	}
	return true
}

func (m *ReadMarks) clone() ReadMarks {
	var c ReadMarks
	for i := range m {
		c[i] = append([]ReadMark(nil), m[i]...)
	}
	return c
}

// last is the type's newest mark, if any.
func (m *ReadMarks) last(typ ConversationType) (ReadMark, bool) {
	ms := m[typ-1]
	if len(ms) == 0 {
		return ReadMark{}, false
	}
	return ms[len(ms)-1], true
}

// apply returns r as the marks made it: r itself when they change nothing,
// otherwise a copy (records are never modified). Tombstones are not marked:
// a deleted conversation was marked read when it was deleted, and one that
// comes back keeps that read time (txn.create). Applying to a record already
// marked changes nothing, so records may be marked again safely.
func (m *ReadMarks) apply(r *ConversationRecord) *ConversationRecord {
	if !r.live() {
		return r
	}
	ms := m[r.Type-1]
	// The first mark made after r was written is the clear that took its
	// unread; the last one gives the read time (Times ascend).
	first := -1
	for i, mk := range ms {
		if mk.Seq > r.Seq {
			first = i
			break
		}
	}
	if first < 0 {
		return r
	}
	rt := max(r.ReadTime, ms[len(ms)-1].Time)
	if rt == r.ReadTime && r.UnreadCount == 0 {
		return r
	}
	c := *r // records are never modified, their lastMessage neither: shared
	c.ReadTime = rt
	if c.UnreadCount != 0 {
		c.UnreadCount, c.UpdateTime = 0, ms[first].Time
	}
	return &c
}

// marked returns changes (records as the store has them) as marks make them,
// followed by the cache's conversations that marks changes and changes does
// not hold: those of the types whose marks the cache did not have yet. It
// makes marks the cache's. With h.mu held.
func (h *hub) marked(changes []*ConversationRecord, marks ReadMarks) []*ConversationRecord {
	c := h.cache
	out := make([]*ConversationRecord, len(changes))
	for i, r := range changes {
		out[i] = marks.apply(r)
	}
	if marks.equal(&c.marks) {
		return out
	}
	fresh := make(map[string]bool, len(changes))
	for _, r := range changes {
		fresh[r.ConversationID] = true
	}
	for i := range marks {
		if slices.Equal(marks[i], c.marks[i]) {
			continue // the cache's records of this type are marked already
		}
		c.byType[i].Ascend(func(r *ConversationRecord) bool {
			if a := marks.apply(r); a != r && !fresh[r.ConversationID] {
				out = append(out, a)
			}
			return true
		})
	}
	c.marks = marks
	return out
}

// readMarks is the call's read marks, to change: the cache's until then.
func (t *txn) readMarks() *ReadMarks {
	if t.marks == nil {
		m := t.h.cache.marks.clone()
		t.marks = &m
	}
	return t.marks
}

// clearType marks every conversation of the type read (txn.markRead): with
// one read mark where it describes the clear, record by record where it does
// not (a message newer than now). A type with maxReadMarks marks, or whose
// newest mark is later than now (the clock went back), is cleared record by
// record, and every record its marks applied to is written, so that its
// marks can go.
func (t *txn) clearType(typ ConversationType) {
	marks := t.readMarks()
	tree := t.h.cache.byType[typ-1]
	last, hasMarks := marks.last(typ)
	if len(marks[typ-1]) >= maxReadMarks || hasMarks && t.now < last.Time {
		tree.Ascend(func(r *ConversationRecord) bool {
			t.markRead(r.ConversationID)
			if hasMarks && r.Seq < last.Seq {
				t.rewrite(r.ConversationID)
			}
			return true
		})
		marks[typ-1] = nil
		return
	}
	needed := false
	tree.Ascend(func(r *ConversationRecord) bool {
		if r.MaxMessageTime > t.now {
			t.markRead(r.ConversationID)
		} else if r.UnreadCount > 0 || r.ReadTime < t.now {
			needed = true
		}
		return true
	})
	if needed {
		marks[typ-1] = append(marks[typ-1], ReadMark{Time: t.now}) // Seq: write stamps it
	}
}
