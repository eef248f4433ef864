// Clearing a conversation's history up to a time: the host's clear-history
// notifications (the NIM SDK's onClearHistoryNotifications), docs/api.md
// "Clear history".

package core

import "context"

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
	tl, err := t.tail(id)
	if err != nil {
		return err
	}
	if !tl.clears(deleteTime) {
		if err := t.deleteKept(id, func(m *MessageRecord) bool { return m.CreateTime <= deleteTime }); err != nil {
			return err
		}
		tl.ClearedTo, tl.Cleared = deleteTime, true
		t.tailChanged(id)
	}
	r := t.get(id)
	switch {
	case r == nil:
		// Nothing is kept of it but its tail, with the clear: a tombstone
		// holds the read time, so that the clear rules if it comes.
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
