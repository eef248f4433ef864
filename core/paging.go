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

// cursorMemory remembers, for recently handed-out offsets and per option, the
// conversationId of the last item of the page that returned them, so the next
// page resumes right after it even when many items share its sortOrder.
type cursorMemory struct {
	max   int
	order *list.List // of cursorKey, most recent first
	items map[cursorKey]*list.Element
}

type cursorKey struct {
	option string
	offset int64
}

type cursorEntry struct {
	key    cursorKey
	lastID string
}

func newCursorMemory(max int) *cursorMemory {
	return &cursorMemory{max: max, order: list.New(), items: map[cursorKey]*list.Element{}}
}

func (m *cursorMemory) remember(k cursorKey, lastID string) {
	if e, ok := m.items[k]; ok {
		e.Value.(*cursorEntry).lastID = lastID
		m.order.MoveToFront(e)
		return
	}
	m.items[k] = m.order.PushFront(&cursorEntry{k, lastID})
	if m.order.Len() > m.max {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.items, last.Value.(*cursorEntry).key)
	}
}

// recall returns the last id handed out with k. Offset 0 also means "from the
// top", so a remembered 0 (only handed out when items sit at sortOrder 0) is
// used once.
func (m *cursorMemory) recall(k cursorKey) (string, bool) {
	e, ok := m.items[k]
	if !ok {
		return "", false
	}
	id := e.Value.(*cursorEntry).lastID
	if k.offset == 0 {
		m.order.Remove(e)
		delete(m.items, k)
	}
	return id, true
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
		if offset == math.Trunc(offset) && offset <= math.MaxInt64/2 {
			if lastID, ok := s.cursors.recall(cursorKey{okey, int64(offset)}); ok {
				cur = cursor{at: ConversationRecord{Conversation: Conversation{SortOrder: int64(offset), ConversationID: lastID}}}
			} else if offset > 0 {
				cur = below(int64(offset))
			}
		} else if offset > 0 {
			cur = below(int64(math.Ceil(math.Min(offset, math.MaxInt64/2))))
		}
		items, more := c.page(opt.ConversationTypes, opt.OnlyUnread, cur, limit)
		res.ConversationList = publicList(items)
		if more {
			last := items[len(items)-1]
			res.Offset = last.SortOrder
			s.cursors.remember(cursorKey{okey, last.SortOrder}, last.ConversationID)
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
