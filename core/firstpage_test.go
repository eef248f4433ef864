package core

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

type storedFirstPage struct {
	Format           int              `json:"format"`
	Account          string           `json:"account"`
	Seq              uint64           `json:"seq"`
	Total            int              `json:"total"`
	ConversationList []map[string]any `json:"conversationList"`
	Offsets          []float64        `json:"offsets"`
}

func firstPageOf(t *testing.T, s *Service) storedFirstPage {
	t.Helper()
	s.h.mu.RLock()
	text := s.h.firstPageJSON()
	s.h.mu.RUnlock()
	var p storedFirstPage
	require.NoError(t, json.Unmarshal(text, &p), "%s", text)
	return p
}

// pageJSON is a page as JavaScript receives it.
func pageJSON(t *testing.T, res ConversationResult) map[string]any {
	t.Helper()
	b, ok := encodeValue(nil, res)
	require.True(t, ok)
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

// The first page is what getConversationList(0, 100) returns, read marks
// applied; and each of its offsets, given to a Service that never handed it
// out (the module after the wrapper served the page), resumes the walk
// without skipping a conversation, repeating at most the rest of a tie.
func TestFirstPageIsTheFirstPageAndItsOffsetsResume(t *testing.T) {
	f := newFixture(t)
	var msgs []Message
	for i := range 150 {
		at := int64(1000 + i)
		if i >= 40 && i < 55 {
			at = 1055 // with u055: a tie at places 96 to 111 (newest first, after the pin and t1)
		}
		msgs = append(msgs, msg(p2p(fmt.Sprintf("u%03d", i)), "m", at))
	}
	msgs = append(msgs, msg(team("t1"), "tm", 1300))
	f.apply(msgs...)
	require.NoError(t, f.StickTopConversation(f.ctx, p2p("u007"), true))
	require.NoError(t, f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeTeam})) // a read mark

	p := firstPageOf(t, f.Service)
	require.Equal(t, FirstPageFormat, p.Format)
	require.Equal(t, me, p.Account)
	require.Equal(t, 151, p.Total)
	first, err := f.GetConversationList(0, DefaultPageLimit)
	require.NoError(t, err)
	want := pageJSON(t, first)["conversationList"].([]any)
	require.Len(t, p.ConversationList, DefaultPageLimit)
	for i := range want {
		require.Equal(t, want[i], any(p.ConversationList[i]), "conversation %d", i)
	}
	require.Len(t, p.Offsets, DefaultPageLimit)

	var full []Conversation
	for off := 0.0; ; {
		res, err := f.GetConversationList(off, 7)
		require.NoError(t, err)
		full = append(full, res.ConversationList...)
		if res.Finished {
			break
		}
		off = res.Offset
	}
	require.Len(t, full, 151)
	ties := 0
	for i, off := range p.Offsets {
		other := newFixtureOn(t, f.db) // another hub: it remembers no offset
		next, err := other.GetConversationList(off, 100)
		require.NoError(t, err)
		j := 0
		for j < len(full) && full[j].ConversationID != next.ConversationList[0].ConversationID {
			j++
		}
		if i+1 < len(full) && full[i+1].SortOrder == full[i].SortOrder {
			require.LessOrEqual(t, j, i, "after place %d, in a tie", i)
			require.Equal(t, full[i].SortOrder, full[j].SortOrder, "only the tie repeats (place %d)", i)
			ties++
		} else {
			require.Equal(t, i+1, j, "after place %d the walk goes on at the next place", i)
		}
		require.Equal(t, full[j:min(j+100, len(full))], next.ConversationList)
	}
	require.Equal(t, 4, ties, "pages ending at places 96 to 99 end inside the tie")
}
