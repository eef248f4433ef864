package core

import (
	"context"
	"fmt"
)

// ApplyMessages takes the host's received, sent or synced messages: it creates
// missing conversations, moves lastMessage forward and counts unread. A
// message (by conversationId + messageClientId) counts once however often it
// is applied.
func (s *Service) ApplyMessages(ctx context.Context, msgs []Message) (ApplyResult, error) {
	if len(msgs) == 0 {
		return ApplyResult{}, invalid("messages must not be empty")
	}
	if len(msgs) > MaxListLength {
		return ApplyResult{}, invalid("messages has %d entries, at most %d are allowed per call", len(msgs), MaxListLength)
	}
	keys := make([]MessageKey, len(msgs))
	ids := make([]string, len(msgs))
	for i := range msgs {
		if err := s.checkMessage(fmt.Sprintf("messages[%d]", i), &msgs[i]); err != nil {
			return ApplyResult{}, err
		}
		keys[i] = MessageKey{msgs[i].ConversationID, msgs[i].MessageClientID}
		ids[i] = msgs[i].ConversationID
	}
	var res ApplyResult
	err := s.update(ctx, func(t *txn) error {
		res = ApplyResult{}
		clears, err := t.clearsOf(msgs)
		if err != nil {
			return err
		}
		// By key: the same message may come again with other fields, even
		// another createTime, and must still count once.
		seen := make(map[MessageKey]bool, len(msgs))
		var fresh []*MessageRecord
		for i := range msgs {
			// One at or before its conversation's clear is gone already
			// (docs/api.md "Clear history"), whatever comes after it.
			if seen[keys[i]] || clearedBy(clears, &msgs[i]) {
				res.Duplicates++
				continue
			}
			seen[keys[i]] = true
			fresh = append(fresh, s.messageRecord(&msgs[i]))
		}
		if len(fresh) == 0 {
			return nil
		}
		added, err := t.tx.AddMessages(fresh)
		if err != nil {
			return err
		}
		for j, m := range fresh {
			if !added[j] {
				res.Duplicates++
				continue
			}
			res.Applied++
			t.applyMessage(m)
		}
		return nil
	})
	return res, err
}

func (s *Service) messageRecord(m *Message) *MessageRecord {
	r := &MessageRecord{Message: *m, Mine: m.SenderID == s.h.account}
	if r.ReceiverID == "" {
		r.ReceiverID = s.defaultReceiver(m, r.Mine)
	}
	return r
}

// defaultReceiver fills a missing receiverId: the peer or me in P2P, the team otherwise.
func (s *Service) defaultReceiver(m *Message, mine bool) string {
	cid, _ := ParseConversationID(m.ConversationID)
	if cid.Type == TypeP2P && !mine {
		return s.h.account
	}
	return cid.TargetID
}

// applyMessage adds one new message to its conversation.
func (t *txn) applyMessage(m *MessageRecord) {
	id := m.ConversationID
	var e *ConversationRecord
	if t.get(id).live() {
		e = t.edit(id)
	} else {
		e = t.create(id, m.ConversationType, m.CreateTime)
	}
	e.MaxMessageTime = max(e.MaxMessageTime, m.CreateTime)
	if t.h.isCurrent(id) {
		e.ReadTime = max(e.ReadTime, m.CreateTime)
	}
	if m.countsAsUnread(e.ReadTime) {
		e.UnreadCount++
	}
	if m.canBeLast() && m.after(e.LastMessage) {
		e.LastMessage = m.lastMessage(e.ConversationID)
		e.setSortTime(m.CreateTime)
	}
}

// RevokeMessage marks a stored message revoked: it no longer counts as unread,
// its content is gone from the database, and if it is the last message,
// lastMessage says so and shows the postscript instead of its text.
func (s *Service) RevokeMessage(ctx context.Context, k MessageKey, info RevokeInfo) error {
	if err := s.checkRefer("refer", k); err != nil {
		return err
	}
	if err := checkSafeInteger("revokeInfo.revokeType", int64(info.RevokeType)); err != nil {
		return err
	}
	return s.update(ctx, func(t *txn) error {
		r, err := t.mustLive("refer.conversationId", k.ConversationID)
		if err != nil {
			return err
		}
		stored, err := t.tx.GetMessages([]MessageKey{k})
		if err != nil {
			return err
		}
		m := stored[0]
		if m == nil || m.Deleted {
			return invalid("refer: message %q is not stored in conversation %q", k.MessageClientID, k.ConversationID)
		}
		counted := m.countsAsUnread(r.ReadTime)
		rm := *m
		rm.markRevoked(info)
		if rm == *m {
			return nil // revoked already, the same way
		}
		if err := t.putMessages(&rm); err != nil {
			return err
		}
		e := t.edit(k.ConversationID)
		if counted {
			e.UnreadCount--
		}
		if lm := e.LastMessage; lm != nil && lm.MessageRefer.MessageClientID == k.MessageClientID {
			e.LastMessage = rm.lastMessage(e.ConversationID)
		}
		return nil
	})
}

// DeleteMessages removes stored messages; a conversation whose last message
// goes falls back to its newest remaining one. Messages not stored are skipped.
func (s *Service) DeleteMessages(ctx context.Context, keys []MessageKey) error {
	if len(keys) == 0 {
		return invalid("refers must not be empty")
	}
	if len(keys) > MaxListLength {
		return invalid("refers has %d entries, at most %d are allowed per call", len(keys), MaxListLength)
	}
	for i, k := range keys {
		if err := s.checkRefer(fmt.Sprintf("refers[%d]", i), k); err != nil {
			return err
		}
	}
	return s.update(ctx, func(t *txn) error {
		stored, err := t.tx.GetMessages(keys)
		if err != nil {
			return err
		}
		var gone []*MessageRecord
		seen := map[MessageKey]bool{}
		for i, m := range stored {
			if m == nil || m.Deleted || seen[keys[i]] {
				continue
			}
			seen[keys[i]] = true
			gone = append(gone, m)
		}
		if err := t.deleteStoredMessages(gone); err != nil {
			return err
		}
		var fallBack []string
		for _, m := range gone {
			r := t.live(m.ConversationID)
			if r == nil {
				continue
			}
			if m.countsAsUnread(r.ReadTime) {
				t.edit(m.ConversationID).UnreadCount--
			}
			if lm := r.LastMessage; lm != nil && lm.MessageRefer.MessageClientID == m.MessageClientID {
				fallBack = append(fallBack, m.ConversationID)
			}
		}
		for _, id := range fallBack {
			if err := t.fallBackLastMessage(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// fallBackLastMessage makes the newest remaining message the last message.
func (t *txn) fallBackLastMessage(id string) error {
	e := t.edit(id)
	e.LastMessage = nil
	return t.tx.NewestMessages(id, func(m *MessageRecord) bool {
		if m.canBeLast() {
			e.LastMessage = m.lastMessage(e.ConversationID)
			return false
		}
		return true
	})
}

// SetCurrentConversation names the conversation on screen ("" for none): it
// is marked read, takes no unread, and its read time follows new messages.
func (s *Service) SetCurrentConversation(ctx context.Context, id string) error {
	if id != "" {
		if _, err := s.checkID("conversationId", id); err != nil {
			return err
		}
	}
	return s.update(ctx, func(t *txn) error {
		t.afterCommit = func() { s.current = id }
		if t.live(id) != nil {
			t.markRead(id)
		}
		return nil
	})
}

// isCurrent reports whether a session has the conversation on screen.
func (h *hub) isCurrent(id string) bool {
	if id == "" {
		return false
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, s := range h.sessions {
		if s.current == id {
			return true
		}
	}
	return false
}
