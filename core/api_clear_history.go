// Clearing a conversation's history up to a time: the host's clear-history
// notifications (the NIM SDK's onClearHistoryNotifications), docs/api.md
// "Clear history".

package core

import "context"

// clearMarkerID is the messageClientId of a conversation's clear marker: a
// stored message at [conversationId, ""], marked deleted, whose createTime
// is the time the conversation's history is cleared up to. No message can
// have that id (validate.go refuses an empty messageClientId), and being
// deleted the marker never counts, never becomes lastMessage and is skipped
// by every walk over the messages. It lives with the messages it rules, in
// the store that every tab reads inside its own transactions, so keeping it
// needs nothing of the Store beyond GetMessages and PutMessages.
const clearMarkerID = ""

// ApplyClearHistory clears the conversation's history up to deleteTime:
// every message created at or before it is deleted, and stays so however
// often it is applied again; its unread count counts only later messages; a
// lastMessage created at or before it goes (without falling back); the
// conversation moves up to deleteTime in the list if it is below. A
// conversation that does not exist changes nothing visible, but what is kept
// of it (messages, read time) obeys the clear if it comes back.
func (s *Service) ApplyClearHistory(ctx context.Context, id string, deleteTime int64) error {
	cid, err := s.checkID("conversationId", id)
	if err != nil {
		return err
	}
	if err := checkTime("deleteTime", deleteTime); err != nil {
		return err
	}
	return s.update(ctx, func(t *txn) error { return t.clearHistory(id, cid.Type, deleteTime) })
}

func (t *txn) clearHistory(id string, typ ConversationType, deleteTime int64) error {
	cleared, err := t.clearedUpTo([]string{id})
	if err != nil {
		return err
	}
	from := int64(-1) // MessagesAfter's "all of them"
	if at, ok := cleared[id]; ok {
		from = at
	}
	if deleteTime > from {
		if err := t.deleteUpTo(id, typ, from, deleteTime); err != nil {
			return err
		}
	}
	r := t.get(id)
	switch {
	case r == nil:
		// Nothing is stored of it but the marker: a tombstone holds the
		// read time that applyMessages' look-up of the marker relies on.
		t.stage(&ConversationRecord{Conversation: Conversation{ConversationID: id, Type: typ}, ReadTime: deleteTime, Deleted: true})
	case !r.live():
		if deleteTime > r.ReadTime {
			t.edit(id).ReadTime = deleteTime
		}
	default:
		// The read time moves as applyReadTime moves it (and tells of it the
		// same way), so that only later messages count.
		if err := t.moveReadTime(id, deleteTime, true); err != nil {
			return err
		}
		if lm := t.get(id).LastMessage; lm != nil && lm.MessageRefer.CreateTime <= deleteTime {
			t.edit(id).LastMessage = nil
		}
		if r.sortTime() < deleteTime {
			t.edit(id).setSortTime(deleteTime)
		}
		t.updateAtLeast(id, deleteTime)
	}
	return nil
}

// deleteUpTo marks the conversation's stored messages created at or before
// deleteTime deleted and moves its marker there. Those at or before from
// (its previous marker's time) were deleted by the clear that set it.
func (t *txn) deleteUpTo(id string, typ ConversationType, from, deleteTime int64) error {
	msgs, err := t.tx.MessagesAfter(id, from)
	if err != nil {
		return err
	}
	var gone []*MessageRecord
	for _, m := range msgs {
		if m.CreateTime <= deleteTime && m.MessageClientID != clearMarkerID {
			gone = append(gone, m)
		}
	}
	if err := t.deleteStoredMessages(gone); err != nil {
		return err
	}
	marker := &MessageRecord{Deleted: true}
	marker.ConversationID, marker.ConversationType = id, typ
	marker.MessageClientID, marker.CreateTime = clearMarkerID, deleteTime
	return t.putMessages(marker)
}

// clearedUpTo reads the clear markers of the conversations: the time each
// one's history is cleared up to, for those that have been cleared.
func (t *txn) clearedUpTo(ids []string) (map[string]int64, error) {
	keys := make([]MessageKey, len(ids))
	for i, id := range ids {
		keys[i] = MessageKey{id, clearMarkerID}
	}
	markers, err := t.tx.GetMessages(keys)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for i, m := range markers {
		if m != nil {
			out[ids[i]] = m.CreateTime
		}
	}
	return out, nil
}

// clearsOf reads the clear markers that can matter to msgs: the time each
// of their conversations' history is cleared up to, for those cleared. A
// clear moves the read time to at least its time and a read time only moves
// forward, so a message newer than its conversation's read time is past any
// clear, and only the conversations of older ones need their marker read:
// one read for the whole call, and none at all for new messages.
func (t *txn) clearsOf(msgs []Message) (map[string]int64, error) {
	var ids []string
	seen := map[string]bool{}
	for i := range msgs {
		id := msgs[i].ConversationID
		if r := t.get(id); r != nil && msgs[i].CreateTime <= r.ReadTime && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return t.clearedUpTo(ids)
}

// clearedBy reports whether m is at or before its conversation's clear in
// clears (clearsOf): gone already, as if the clear had deleted it.
func clearedBy(clears map[string]int64, m *Message) bool {
	at, ok := clears[m.ConversationID]
	return ok && m.CreateTime <= at
}
