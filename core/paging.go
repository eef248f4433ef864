package core

import (
	"container/list"
	"math"
	"strconv"
	"strings"
)

// DefaultPageLimit is the page size used when limit <= 0.
const DefaultPageLimit = 100

// cursorMemorySize bounds how many handed-out offsets a Service remembers.
const cursorMemorySize = 1024

// cursorMemory remembers, per option, the position each handed-out offset
// stands for: the last item of the page that returned it. An offset is a
// number near that item's sortOrder: the sortOrder itself for the first
// position handed out at it, the next representable numbers above it for
// other positions at the same sortOrder (other pages of a tie, other walks
// with other limits). So every offset resumes exactly where its own page
// ended however many walks run at once, no two positions share a number, and
// an offset that was forgotten still starts at about the right place: the
// first item with sortOrder < offset, which repeats the rest of a tie rather
// than skip it. No offset handed out is 0, which always means the top.
type cursorMemory struct {
	max   int
	order *list.List // of *cursorEntry, most recently handed out first
	byOff map[cursorKey]*list.Element
	byPos map[cursorPos]*list.Element
}

type cursorKey struct {
	option string
	offset float64
}

// cursorPos is a position in the list of an option: after the item with this
// sortOrder and id.
type cursorPos struct {
	option    string
	sortOrder int64
	lastID    string
}

type cursorEntry struct {
	key cursorKey
	pos cursorPos
}

func newCursorMemory(max int) *cursorMemory {
	return &cursorMemory{max: max, order: list.New(), byOff: map[cursorKey]*list.Element{}, byPos: map[cursorPos]*list.Element{}}
}

// hand returns the offset that stands for pos, the same one each time pos is
// handed out again while it is remembered.
func (m *cursorMemory) hand(pos cursorPos) float64 {
	return m.handFrom(pos, float64(pos.sortOrder))
}

// handInside is hand for a position inside a tie (the next item has the
// same sortOrder): its number is never the sortOrder itself, so that, if it
// is forgotten, it repeats the rest of the tie rather than skip it.
func (m *cursorMemory) handInside(pos cursorPos) float64 {
	return m.handFrom(pos, math.Nextafter(float64(pos.sortOrder), math.Inf(1)))
}

// handFrom is hand, numbering a new position with the first number not taken
// from start up (start lies in [sortOrder, sortOrder+1)).
func (m *cursorMemory) handFrom(pos cursorPos, start float64) float64 {
	if e, ok := m.byPos[pos]; ok {
		m.order.MoveToFront(e)
		return e.Value.(*cursorEntry).key.offset
	}
	base := float64(pos.sortOrder)
	off := start
	if off == 0 {
		off = math.Nextafter(0, 1)
	}
	for {
		if _, taken := m.byOff[cursorKey{pos.option, off}]; !taken {
			break
		}
		if next := math.Nextafter(off, math.Inf(1)); next < base+1 {
			off = next
			continue
		}
		// Every number between this sortOrder and the next is taken (only
		// at pinned sortOrders, where numbers are 1/8 apart, can that be): the
		// least recently handed-out of them goes.
		off = m.oldestIn(pos.option, base).key.offset
		m.forget(m.byOff[cursorKey{pos.option, off}])
		break
	}
	m.add(&cursorEntry{cursorKey{pos.option, off}, pos})
	return off
}

// remember takes offset as handed out for pos, unless either is taken
// already or the offset is not one hand could give (0 is the top).
func (m *cursorMemory) remember(pos cursorPos, offset float64) {
	_, posTaken := m.byPos[pos]
	_, offTaken := m.byOff[cursorKey{pos.option, offset}]
	base := float64(pos.sortOrder)
	if posTaken || offTaken || !(offset > 0) || offset < base || offset >= base+1 {
		return
	}
	m.add(&cursorEntry{cursorKey{pos.option, offset}, pos})
}

func (m *cursorMemory) add(c *cursorEntry) {
	e := m.order.PushFront(c)
	m.byOff[c.key], m.byPos[c.pos] = e, e
	if m.order.Len() > m.max {
		m.forget(m.order.Back())
	}
}

func (m *cursorMemory) forget(e *list.Element) {
	c := m.order.Remove(e).(*cursorEntry)
	delete(m.byOff, c.key)
	delete(m.byPos, c.pos)
}

// oldestIn is the least recently handed-out entry of option whose offset lies
// in [base, base+1).
func (m *cursorMemory) oldestIn(option string, base float64) *cursorEntry {
	for e := m.order.Back(); e != nil; e = e.Prev() {
		if c := e.Value.(*cursorEntry); c.key.option == option && c.key.offset >= base && c.key.offset < base+1 {
			return c
		}
	}
	panic("core: no cursor at a sortOrder whose numbers are all taken")
}

// recall returns the position an offset handed out for option stands for.
func (m *cursorMemory) recall(option string, offset float64) (cursorPos, bool) {
	if e, ok := m.byOff[cursorKey{option, offset}]; ok {
		return e.Value.(*cursorEntry).pos, true
	}
	return cursorPos{}, false
}

func optionKey(o Option) string {
	var b strings.Builder
	for _, t := range o.ConversationTypes {
		b.WriteString(strconv.Itoa(int(t)))
	}
	if o.OnlyUnread {
		b.WriteString("u")
	}
	return b.String()
}

// normalizeTypes sorts types and drops duplicates (a filter is identified by
// its type set).
func normalizeTypes(types []ConversationType) []ConversationType {
	var seen [conversationTypes + 1]bool
	var out []ConversationType
	for _, t := range types {
		seen[t] = true
	}
	for t := TypeP2P; t <= TypeSuperTeam; t++ {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

// checkOffset validates a paging offset.
func checkOffset(offset float64) error {
	if math.IsNaN(offset) || math.IsInf(offset, 0) || offset < 0 {
		return invalid("offset must be a finite number >= 0, got %v", offset)
	}
	return nil
}

// listPage serves getConversationList and getConversationListByOption.
func (s *Service) listPage(offset float64, limit int, opt Option) (ConversationResult, error) {
	if err := checkOffset(offset); err != nil {
		return ConversationResult{}, err
	}
	if err := checkTypes("option.conversationTypes", opt.ConversationTypes, false); err != nil {
		return ConversationResult{}, err
	}
	opt.ConversationTypes = normalizeTypes(opt.ConversationTypes)
	if limit <= 0 {
		limit = DefaultPageLimit
	}
	limit = min(limit, math.MaxInt32) // no list is longer; limit+1 must not overflow
	var res ConversationResult
	err := s.readWrite(func(c *cache) error {
		okey := optionKey(opt)
		cur := cursor{start: true}
		if pos, ok := s.cursors.recall(okey, offset); ok && offset > 0 {
			cur = cursor{at: ConversationRecord{Conversation: Conversation{SortOrder: pos.sortOrder, ConversationID: pos.lastID}}}
		} else if offset > 0 {
			cur = below(int64(math.Ceil(math.Min(offset, math.MaxInt64/2))))
		}
		items, more := c.page(opt.ConversationTypes, opt.OnlyUnread, cur, limit)
		res.ConversationList = publicList(items)
		if more {
			last := items[len(items)-1]
			res.Offset = s.cursors.hand(cursorPos{okey, last.SortOrder, last.ConversationID})
		} else {
			res.Finished = true
		}
		return nil
	})
	return res, err
}

// below is the cursor after which come the items with sortOrder < offset.
func below(offset int64) cursor {
	// Items with sortOrder == offset and any (non-empty) id come after
	// (offset, ""), so start after the last possible item at offset.
	return cursor{at: ConversationRecord{Conversation: Conversation{SortOrder: offset - 1}}, inclusive: true}
}

func publicList(recs []*ConversationRecord) []Conversation {
	out := make([]Conversation, len(recs))
	for i, r := range recs {
		out[i] = r.Conversation
	}
	return out
}
