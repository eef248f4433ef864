package core

import (
	"context"
	"fmt"
)

// ApplyMessages takes the host's received, sent or synced messages: it creates
// missing conversations, moves lastMessage forward and counts unread. A
// message (by conversationId + messageClientId) counts once however often it
// is applied; applied again, it may update the stored one (the outcome of my
// send, a modification: MessageRecord.updatedBy), and is still a duplicate.
func (s *Service) ApplyMessages(ctx context.Context, msgs []Message) (ApplyResult, error) {
	if err := checkList("messages", len(msgs)); err != nil {
		return ApplyResult{}, err
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
		// another createTime, and must still count once. A key's first
		// occurrence (first) is offered to the store; newAt[i] is the record
		// of msgs[i] if the store took it, nil for a duplicate.
		first := make(map[MessageKey]int, len(msgs))
		var fresh []*MessageRecord
		freshAt := make([]int, 0, len(msgs)) // the index in msgs of each of fresh
		for i := range msgs {
			// One at or before its conversation's clear is gone already
			// (docs/api.md "Clear history"), whatever comes after it.
			if _, ok := first[keys[i]]; ok || clearedBy(clears, &msgs[i]) {
				continue
			}
			first[keys[i]] = i
			fresh = append(fresh, s.messageRecord(&msgs[i]))
			freshAt = append(freshAt, i)
		}
		newAt := make([]*MessageRecord, len(msgs))
		if len(fresh) > 0 {
			added, err := t.tx.AddMessages(fresh)
			if err != nil {
				return err
			}
			for j, m := range fresh {
				if added[j] {
					newAt[freshAt[j]] = m
				}
			}
		}
		known, err := s.knownVersions(t, msgs, keys, clears, first, newAt)
		if err != nil {
			return err
		}
		// In the order given, so that a call does what applying its messages
		// one by one would do.
		var updated []*MessageRecord
		for i := range msgs {
			if m := newAt[i]; m != nil {
				res.Applied++
				t.applyMessage(m)
				continue
			}
			res.Duplicates++
			old := known[keys[i]]
			if old == nil {
				continue
			}
			u := old.updatedBy(&msgs[i], msgs[i].SenderID == s.h.account)
			if u == *old {
				continue
			}
			known[keys[i]] = &u
			updated = append(updated, &u)
			t.applyUpdate(&u)
		}
		return t.putMessages(lastVersions(updated)...)
	})
	return res, err
}

// knownVersions returns, by key, the stored version of every message that
// msgs apply again and may update (Message.mayUpdate): one this call stored
// is at hand, the others are read, in one request. A new message, or one
// that can only be a duplicate, is never read, and neither is one at or
// before its conversation's clear, which updates nothing.
func (s *Service) knownVersions(t *txn, msgs []Message, keys []MessageKey, clears map[string]int64,
	first map[MessageKey]int, newAt []*MessageRecord) (map[MessageKey]*MessageRecord, error) {
	var known map[MessageKey]*MessageRecord
	var read []MessageKey
	for i := range msgs {
		k := keys[i]
		if newAt[i] != nil || !msgs[i].mayUpdate(msgs[i].SenderID == s.h.account) || clearedBy(clears, &msgs[i]) {
			continue
		}
		if _, ok := known[k]; ok {
			continue
		}
		if known == nil {
			known = map[MessageKey]*MessageRecord{}
		}
		if j, ok := first[k]; ok && newAt[j] != nil {
			known[k] = newAt[j]
			continue
		}
		known[k] = nil
		read = append(read, k)
	}
	if len(read) == 0 {
		return known, nil
	}
	stored, err := t.tx.GetMessages(read)
	if err != nil {
		return nil, err
	}
	for i, m := range stored {
		known[read[i]] = m
	}
	return known, nil
}

// lastVersions keeps, of messages updated one after the other, the last
// version of each, so that each is written once.
func lastVersions(updated []*MessageRecord) []*MessageRecord {
	if len(updated) < 2 {
		return updated
	}
	last := make(map[MessageKey]int, len(updated))
	for i, m := range updated {
		last[m.Key()] = i
	}
	out := updated[:0]
	for i, m := range updated {
		if last[m.Key()] == i {
			out = append(out, m)
		}
	}
	return out
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

// applyMessage adds one new message to its conversation. A conversation
// deleted before the call stays deleted for a message not newer than the
// read time its deletion marked (docs/api.md §2, Message): such a message
// is one the user deleted with it, delivered again (a NIM login re-delivers
// roaming messages). It stays stored, known, so that applying it again is a
// duplicate; and even when a newer message of the same call brings the
// conversation back it is no candidate for its lastMessage, whatever the
// order of the two.
func (t *txn) applyMessage(m *MessageRecord) {
	id := m.ConversationID
	if b := t.base(id); b != nil && b.Deleted && m.CreateTime <= b.ReadTime {
		return
	}
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

// applyUpdate shows an update of a stored message (MessageRecord.updatedBy)
// in its live conversation: a lastMessage shows the new version, and moves
// the conversation up to its new createTime if that is later, as a new last
// message would; a modification never moves it (as in NIM). A lastMessage
// that is another message stays, unread never changes (an update never
// changes whether a message counts), and a deleted conversation stays as it
// is.
func (t *txn) applyUpdate(u *MessageRecord) {
	r := t.live(u.ConversationID)
	if r == nil {
		return
	}
	last := r.LastMessage != nil && r.LastMessage.MessageRefer.MessageClientID == u.MessageClientID
	if !last && u.CreateTime <= r.MaxMessageTime {
		return
	}
	e := t.edit(u.ConversationID)
	e.MaxMessageTime = max(e.MaxMessageTime, u.CreateTime)
	if last {
		e.LastMessage = u.lastMessage(e.ConversationID)
		if u.CreateTime > e.sortTime() {
			e.setSortTime(u.CreateTime)
		}
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
	if err := checkList("refers", len(keys)); err != nil {
		return err
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
