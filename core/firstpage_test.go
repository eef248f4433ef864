package core

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
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
// applied; and each of its offsets, given to a Service that synced while the
// page was kept (the module after the wrapper served the page), resumes the
// walk exactly after its place, in a tie too. A Service that did not find
// the page (the list changed since) takes an offset it never handed out:
// the walk skips nothing, repeating at most the rest of a tie.
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
	nextAfter := func(s *Service, off float64) (int, []Conversation) {
		next, err := s.GetConversationList(off, 100)
		require.NoError(t, err)
		j := 0
		for j < len(full) && full[j].ConversationID != next.ConversationList[0].ConversationID {
			j++
		}
		require.Equal(t, idsOf(full[j:min(j+100, len(full))]), idsOf(next.ConversationList))
		return j, next.ConversationList
	}

	// Kept (as a close keeps it), then found by the next Service's sync or
	// by a session attaching to a hub.
	keeper := &pageKeeper{}
	open := func() *Service {
		s, err := Open(f.ctx, Options{AccountID: me, Store: keepingStore{f.db.Connect(), keeper}, Now: f.clock.now})
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	writer := open()
	writer.h.writeSnapshot(f.ctx, nil)
	require.Equal(t, p, keeper.stored(t), "the page kept is the page")
	for i, off := range p.Offsets[:len(p.Offsets)-1] {
		j, _ := nextAfter(open(), off)
		require.Equal(t, i+1, j, "after place %d the walk goes on at the next place", i)
		attached, err := writer.Attach(nil)
		require.NoError(t, err)
		j, _ = nextAfter(attached, off)
		require.Equal(t, i+1, j, "attached: after place %d the walk goes on at the next place", i)
	}

	// Not found: any change deletes the page.
	require.NoError(t, writer.UpdateConversationLocalExtension(f.ctx, full[150].ConversationID, "x"))
	require.Nil(t, keeper.page)
	ties := 0
	for i, off := range p.Offsets {
		j, _ := nextAfter(open(), off)
		if i+1 < len(full) && full[i+1].SortOrder == full[i].SortOrder {
			require.LessOrEqual(t, j, i, "after place %d, in a tie", i)
			require.Equal(t, full[i].SortOrder, full[j].SortOrder, "only the tie repeats (place %d)", i)
			ties++
		} else {
			require.Equal(t, i+1, j, "after place %d the walk goes on at the next place", i)
		}
	}
	require.Equal(t, 4, ties, "pages ending at places 96 to 99 end inside the tie")
}

// keepingStore is a Store on a MemDB whose transactions keep the first page
// as idbstore's do (FirstPageTx): every change (SetSeq) deletes it.
type keepingStore struct {
	Store
	k *pageKeeper
}

type pageKeeper struct {
	mu   sync.Mutex
	page []byte
}

func (k *pageKeeper) stored(t *testing.T) storedFirstPage {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	require.NotNil(t, k.page)
	var p storedFirstPage
	require.NoError(t, json.Unmarshal(k.page, &p), "%s", k.page)
	return p
}

type keepingTx struct {
	Tx
	k *pageKeeper
}

func (s keepingStore) Update(ctx context.Context, fn func(Tx) error) error {
	return s.Store.Update(ctx, func(tx Tx) error { return fn(keepingTx{tx, s.k}) })
}

func (s keepingStore) View(ctx context.Context, fn func(Tx) error) error {
	return s.Store.View(ctx, func(tx Tx) error { return fn(keepingTx{tx, s.k}) })
}

func (t keepingTx) SetSeq(seq uint64) error {
	t.k.mu.Lock()
	t.k.page = nil
	t.k.mu.Unlock()
	return t.Tx.SetSeq(seq)
}

func (t keepingTx) PutFirstPage(page []byte) error {
	t.k.mu.Lock()
	t.k.page = slices.Clone(page)
	t.k.mu.Unlock()
	return nil
}

func (t keepingTx) FirstPage() ([]byte, error) {
	t.k.mu.Lock()
	defer t.k.mu.Unlock()
	return slices.Clone(t.k.page), nil
}
