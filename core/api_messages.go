package core

import (
	"context"
	"fmt"
)

// ApplyMessages takes the host's received, sent or synced messages: it creates
// missing conversations, moves lastMessage forward and counts unread. A
// message (by conversationId + messageClientId) counts once however often it
// is applied; applied again, it may update the kept one (the outcome of my
// send, a modification: MessageRecord.updatedBy), and is still a duplicate.
// So is one its conversation forgot or would forget (Tail.forgets): it can
// neither count nor show.
func (s *Service) ApplyMessages(ctx context.Context, msgs []Message) (ApplyResult, error) {
	if err := checkList("messages", len(msgs)); err != nil {
		return ApplyResult{}, err
	}
	ids := make([]string, len(msgs))
	for i := range msgs {
		if err := s.checkMessage(fmt.Sprintf("messages[%d]", i), &msgs[i]); err != nil {
			return ApplyResult{}, err
		}
		ids[i] = msgs[i].ConversationID
	}
	var res ApplyResult
	err := s.update(ctx, func(t *txn) error {
		res = ApplyResult{}
		if err := t.loadTails(ids); err != nil {
			return err
		}
		// In the order given, so that a call does what applying its messages
		// one by one would do. By key: the same message may come again with
		// other fields, even another createTime, and must still count once.
		for i := range msgs {
			applied, err := t.applyOne(s, &msgs[i])
			if err != nil {
				return err
			}
			if applied {
				res.Applied++
			} else {
				res.Duplicates++
			}
		}
		return nil
	})
	return res, err
}

// applyOne applies one message and reports whether it was new.
func (t *txn) applyOne(s *Service, msg *Message) (bool, error) {
	id := msg.ConversationID
	tl := t.tails[id]
	// One at or before its conversation's clear is gone already
	// (docs/api.md "Clear history"), whatever comes after it.
	if tl.clears(msg.CreateTime) {
		return false, nil
	}
	mine := msg.SenderID == s.h.account
	order := MessageOrder{msg.CreateTime, msg.MessageClientID}
	// The messages kept apart are read only for one that may be among them,
	// or older than the tail's own (it goes before them), or one that may
	// move (an update may give it an older createTime).
	if len(tl.SpilledKeys) > 0 && (len(tl.Messages) == 0 || order.Compare(tl.Messages[0].Order()) < 0 ||
		tl.maybeSpilled(msg.MessageClientID) || msg.mayUpdate(mine)) {
		if err := t.readSpilled([]string{id}); err != nil {
			return false, err
		}
	}
	if i, old := tl.find(msg.MessageClientID); old != nil {
		u := old.updatedBy(msg, mine)
		if u != *old {
			tl.replace(i, &u)
			t.tailChanged(id)
			t.applyUpdate(&u)
		}
		return false, nil
	}
	if tl.forgets(order) {
		return false, nil
	}
	m := s.messageRecord(msg)
	tl.insert(m)
	t.tailChanged(id)
	t.applyMessage(m)
	return true, nil
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
		tl, err := t.tail(k.ConversationID)
		if err != nil {
			return err
		}
		i, m := tl.find(k.MessageClientID)
		if m == nil && tl.HasFloor {
			// Maybe one the conversation forgot: it can neither count nor show.
			return nil
		}
		if m == nil || m.Deleted {
			return invalid("refer: message %q is not stored in conversation %q", k.MessageClientID, k.ConversationID)
		}
		counted := m.countsAsUnread(r.ReadTime)
		rm := *m
		rm.markRevoked(info)
		if rm == *m {
			return nil // revoked already, the same way
		}
		tl.replace(i, &rm)
		t.tailChanged(k.ConversationID)
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

// DeleteMessages removes kept messages; a conversation whose last message
// goes falls back to its newest remaining one. Messages not kept (never
// applied, or forgotten) are skipped.
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
		ids := make([]string, len(keys))
		for i, k := range keys {
			ids[i] = k.ConversationID
		}
		if err := t.loadTails(ids); err != nil {
			return err
		}
		if err := t.readSpilled(ids); err != nil {
			return err
		}
		var gone []*MessageRecord
		for _, k := range keys {
			tl := t.tails[k.ConversationID]
			i, m := tl.find(k.MessageClientID)
			if m == nil || m.Deleted {
				continue // not kept (or deleted already, by an earlier key): skipped
			}
			gone = append(gone, m)
			tl.replace(i, m.deleted())
			t.tailChanged(k.ConversationID)
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
	tl, err := t.tail(id)
	if err != nil {
		return err
	}
	e := t.edit(id)
	e.LastMessage = nil
	if m := tl.newestLast(); m != nil {
		e.LastMessage = m.lastMessage(e.ConversationID)
	}
	return nil
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
