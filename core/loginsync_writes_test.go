package core

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// countingStore counts what each committed Update wrote: conversation values
// and messages kept apart (tail.go), so that a test can say what a call cost.
type countingStore struct {
	Store
	mu      sync.Mutex
	updates []writeCount
}

type writeCount struct{ conversations, spilled int }

func (s *countingStore) Update(ctx context.Context, fn func(Tx) error) error {
	x := &countingTx{}
	err := s.Store.Update(ctx, func(tx Tx) error { x.Tx = tx; return fn(x) })
	if err == nil {
		s.mu.Lock()
		s.updates = append(s.updates, x.n)
		s.mu.Unlock()
	}
	return err
}

// take returns the counts of the Updates since the last take.
func (s *countingStore) take() []writeCount {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.updates
	s.updates = nil
	return out
}

type countingTx struct {
	Tx
	n writeCount
}

func (x *countingTx) PutConversations(recs []*ConversationRecord, tails []*Tail) error {
	x.n.conversations += len(recs)
	return x.Tx.PutConversations(recs, tails)
}

func (x *countingTx) PutSpilled(recs []*MessageRecord) error {
	x.n.spilled += len(recs)
	return x.Tx.PutSpilled(recs)
}

// A NIM login sync delivers the roaming messages of 2,000 conversations,
// 20,000 in batches of 100, most of them older than read times synced with
// them. Each batch writes each conversation it changes once, no message is
// written on its own, and what stays stored is bounded by the newest kept
// and the unread, whether the read times come before the messages or after.
func TestLoginSyncWritesPerConversationNotPerMessage(t *testing.T) {
	const convs, perConv, batchSize = 2000, 10, 100
	for _, readTimesFirst := range []bool{true, false} {
		name := "read times after the messages"
		if readTimesFirst {
			name = "read times before most messages"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := NewMemDB()
			store := &countingStore{Store: db.Connect()}
			clock := &clock{t: 1_000_000}
			svc, err := Open(ctx, Options{AccountID: me, Store: store, Now: clock.now})
			require.NoError(t, err)
			defer svc.Close()

			// Conversation c's messages are at base+c*100+k; its read time
			// leaves its newest one or two unread.
			const base = int64(1_000)
			var msgs []Message
			readTimes := make([]ConversationReadTime, convs)
			unread := map[string]int{}
			for c := range convs {
				id := p2p(fmt.Sprintf("u%d", c))
				for k := range perConv {
					msgs = append(msgs, msg(id, fmt.Sprintf("m%d-%d", c, k), base+int64(c*100+k)))
				}
				left := 1 + c%2
				readTimes[c] = ConversationReadTime{id, base + int64(c*100+perConv-1-left)}
				unread[id] = left
			}
			if readTimesFirst {
				// The conversations are listed by their oldest message (a read
				// time of one not listed is skipped), then get their read
				// times: the rest of their messages come later, most of them
				// older than those.
				var first, rest []Message
				for i, m := range msgs {
					if i%perConv == 0 {
						first = append(first, m)
					} else {
						rest = append(rest, m)
					}
				}
				for i := 0; i < len(first); i += batchSize {
					_, err := svc.ApplyMessages(ctx, first[i:i+batchSize])
					require.NoError(t, err)
				}
				require.NoError(t, svc.ApplyReadTimes(ctx, readTimes))
				store.take()
				msgs = rest
			}
			rand.New(rand.NewSource(7)).Shuffle(len(msgs), func(i, j int) { msgs[i], msgs[j] = msgs[j], msgs[i] })
			for i := 0; i < len(msgs); i += batchSize {
				batch := msgs[i:min(i+batchSize, len(msgs))]
				distinct := map[string]bool{}
				for _, m := range batch {
					distinct[m.ConversationID] = true
				}
				res, err := svc.ApplyMessages(ctx, batch)
				require.NoError(t, err)
				require.Equal(t, ApplyResult{Applied: len(batch)}, res)
				got := store.take()
				require.Len(t, got, 1, "one transaction per call")
				require.Equal(t, writeCount{conversations: len(distinct)}, got[0],
					"batch %d: one value per conversation changed, nothing per message", i/batchSize)
			}
			if !readTimesFirst {
				require.NoError(t, svc.ApplyReadTimes(ctx, readTimes))
				require.Equal(t, []writeCount{{conversations: convs}}, store.take())
			}

			total := 0
			for id, n := range unread {
				c, err := svc.GetConversation(id)
				require.NoError(t, err)
				require.Equal(t, n, c.UnreadCount, id)
				total += n
			}
			tc, err := svc.GetTotalUnreadCount()
			require.NoError(t, err)
			require.EqualValues(t, total, tc)

			// What is stored: at most the newest DefaultKeepNewest of each
			// (its unread among them), none kept apart.
			ids := make([]string, 0, convs)
			for id := range unread {
				ids = append(ids, id)
			}
			require.NoError(t, db.Connect().View(ctx, func(tx Tx) error {
				tails, err := tx.Tails(ids)
				require.NoError(t, err)
				for i, tl := range tails {
					require.Len(t, tl.Messages, DefaultKeepNewest, ids[i])
					require.Empty(t, tl.SpilledKeys, ids[i])
				}
				return nil
			}))
		})
	}
}
