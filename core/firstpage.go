// The first page: the top of the list kept beside the snapshot so that the
// JavaScript wrapper can serve a cold open's first getConversationList from
// one small read while the module still compiles and loads (docs/design.md,
// "The first page before the module").

package core

import (
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
// that ends with conversationList[i] (see resumeOffset). The wrapper believes
// it only while the database's change sequence is still seq, so it is never
// older than the database. h.mu is held.
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
	for i, r := range items {
		if i > 0 {
			o.B = append(o.B, ',')
		}
		tie := i+1 < len(more) && more[i+1].SortOrder == r.SortOrder
		o.B = strconv.AppendFloat(o.B, resumeOffset(r.SortOrder, tie), 'g', -1, 64)
	}
	o.B = append(o.B, ']')
	return o.End()
}

// resumeOffset is the offset after a page ending at an item with sortOrder,
// for a Service that did not hand it out and so does not remember it, which
// resumes below(ceil(offset)) (listPage): the sortOrder itself resumes
// exactly at the next item unless a tie goes on past the page's end; then
// sortOrder+1 starts again at the tie, repeating its items rather than
// skipping the rest of it. Neither can stand for a position after this one:
// a Service hands out sortOrder only for the one item at it (no tie), and
// sortOrder+1 only for an item above it.
func resumeOffset(sortOrder int64, tieContinues bool) float64 {
	if tieContinues || sortOrder == 0 {
		return float64(sortOrder + 1)
	}
	return float64(sortOrder)
}
