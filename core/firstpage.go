// The first page: the top of the list kept beside the snapshot so that the
// JavaScript wrapper can serve a cold open's first getConversationList from
// one small read while the module still compiles and loads (docs/design.md,
// "The first page before the module").

package core

import (
	"math"
	"strconv"

	"github.com/localconv/localconv/internal/jsonx"
)

// FirstPageFormat is the first page's format, the wrapper reads only this one.
const FirstPageFormat = 1

// firstPageJSON is the first page as of the cache's change sequence:
//
//	{format, account, seq, total, conversationList, offsets}
//
// conversationList is what getConversationList(0, DefaultPageLimit) returns,
// total the number of live conversations, and offsets[i] the offset of a page
// that ends with conversationList[i], numbered as a session with no offset
// handed out yet numbers them (cursorMemory.hand; inside a tie handInside, so
// that a Service that did not find the page, and so takes the offset as one
// it never handed out, repeats the rest of the tie rather than skip it).
//
// The wrapper believes the page only while the database's change sequence is
// still seq, so it is never older than the database; a session that syncs or
// attaches while the page is kept remembers its offsets as its own
// (rememberFirstPage), so a walk begun on the wrapper's page goes on exactly.
// h.mu is held.
func (h *hub) firstPageJSON() []byte {
	// One more than the page: whether a tie goes on past each item.
	more, _ := h.cache.page(nil, false, cursor{start: true}, DefaultPageLimit+1)
	items := more[:min(len(more), DefaultPageLimit)]
	o := jsonx.BeginObject(nil)
	o.Num("format", FirstPageFormat)
	o.Str("account", h.account)
	o.Num("seq", int64(h.cache.seq))
	o.Num("total", int64(len(h.cache.convs)))
	o.Key("conversationList")
	o.B = appendConversations(o.B, publicList(items))
	o.Key("offsets")
	o.B = append(o.B, '[')
	fresh := newCursorMemory(cursorMemorySize)
	for i, r := range items {
		if i > 0 {
			o.B = append(o.B, ',')
		}
		pos := firstPagePos(r.SortOrder, r.ConversationID)
		if i+1 < len(more) && more[i+1].SortOrder == r.SortOrder {
			o.B = appendNumber(o.B, fresh.handInside(pos))
		} else {
			o.B = appendNumber(o.B, fresh.hand(pos))
		}
	}
	o.B = append(o.B, ']')
	return o.End()
}

// firstPagePos is the position after a conversation in getConversationList's
// order (no option).
func firstPagePos(sortOrder int64, id string) cursorPos {
	return cursorPos{optionKey(Option{}), sortOrder, id}
}

// rememberFirstPage makes s remember the kept first page's offsets as handed
// out by itself: the wrapper may have served the page, and its offsets, while
// the module loaded (js/firstpage.js). A page that is not this account's, or
// not of this format, is ignored; so is an entry that is not as written.
func (s *Service) rememberFirstPage(page []byte) {
	if page == nil {
		return
	}
	v, err := jsonx.Parse(page)
	o, _ := v.(map[string]any)
	if err != nil || o == nil || o["account"] != s.h.account || o["format"] != jsonx.Number(strconv.Itoa(FirstPageFormat)) {
		return
	}
	list, _ := o["conversationList"].([]any)
	offsets, _ := o["offsets"].([]any)
	for i := range min(len(list), len(offsets)) {
		c, _ := list[i].(map[string]any)
		id, _ := c["conversationId"].(string)
		so, err1 := argNumber(c["sortOrder"], "sortOrder")
		off, err2 := argNumber(offsets[i], "offset")
		if id == "" || err1 != nil || err2 != nil || so != math.Trunc(so) {
			return
		}
		s.cursors.remember(firstPagePos(int64(so), id), off)
	}
}
