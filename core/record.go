package core

import "unsafe"

// ConversationRecord is a conversation as stored: the public Conversation plus
// the state that makes unread counts exact and lets other tabs catch up.
//
// A deleted conversation stays as a tombstone (Deleted, with only ID, ReadTime,
// MaxMessageTime and Seq kept) so that its stored messages never count again if
// it comes back, so that messages not newer than its ReadTime, delivered
// again, do not bring it back (applyMessage), and so that other tabs learn of
// the deletion from Seq.
type ConversationRecord struct {
	Conversation
	// ReadTime: messages created at or before it are read.
	ReadTime int64
	// MaxMessageTime is the newest createTime of any message ever applied to
	// this conversation; clearing moves ReadTime up to it.
	MaxMessageTime int64
	// ReadMarkSeq is the Seq of the call that last marked the read time
	// (markConversationRead, applyReadTime): tabs derive
	// conversationReadTimeUpdated from it.
	ReadMarkSeq uint64
	// Seq is the database change sequence of the call that last wrote it.
	Seq     uint64
	Deleted bool
}

func (r *ConversationRecord) clone() *ConversationRecord {
	c := *r
	if r.LastMessage != nil {
		lm := *r.LastMessage
		c.LastMessage = &lm
	}
	return &c
}

// live reports whether r is a conversation that exists (not missing, not a tombstone).
func (r *ConversationRecord) live() bool { return r != nil && !r.Deleted }

func (r *ConversationRecord) sameRecord(o *ConversationRecord) bool {
	return r.sameContent(&o.Conversation) && r.UpdateTime == o.UpdateTime &&
		r.ReadTime == o.ReadTime && r.MaxMessageTime == o.MaxMessageTime &&
		r.ReadMarkSeq == o.ReadMarkSeq && r.Deleted == o.Deleted
}

// tombstone is what remains of r after it is deleted.
func (r *ConversationRecord) tombstone() *ConversationRecord {
	return &ConversationRecord{
		Conversation:   Conversation{ConversationID: r.ConversationID, Type: r.Type},
		ReadTime:       r.ReadTime,
		MaxMessageTime: r.MaxMessageTime,
		ReadMarkSeq:    r.ReadMarkSeq,
		Deleted:        true,
	}
}

// MessageRecord is an applied message as kept (Tail). Revoked and deleted
// messages stay known (applying them again is a duplicate); a deleted one
// keeps only what dedup and ordering need.
type MessageRecord struct {
	Message
	Mine            bool
	Revoked         bool
	RevokeAccountID string
	RevokeType      int
	Deleted         bool
}

// Key names the record.
func (m *MessageRecord) Key() MessageKey { return MessageKey{m.ConversationID, m.MessageClientID} }

// countsAsUnread is docs/api.md §3's rule for one message against a read time. The
// current conversation needs no case of its own: its read time follows its
// messages.
func (m *MessageRecord) countsAsUnread(readTime int64) bool {
	return !m.Deleted && !m.Revoked && !m.Mine && m.UnreadEnabled && m.CreateTime > readTime
}

// canBeLast reports whether m may be a conversation's lastMessage.
func (m *MessageRecord) canBeLast() bool { return !m.Deleted && m.LastMessageUpdateEnabled }

// after orders messages by (createTime, messageClientId), ids in UTF-16
// order as IndexedDB orders them (see CompareStrings).
func (m *MessageRecord) after(lm *LastMessage) bool {
	if lm == nil {
		return true
	}
	r := lm.MessageRefer
	return m.CreateTime > r.CreateTime || (m.CreateTime == r.CreateTime && CompareStrings(m.MessageClientID, r.MessageClientID) > 0)
}

// lastMessage is what conversation shows of m (conversationID is the
// conversation's own id, the same text as m's). It stays in the cache long
// after m and the call that brought it are gone, so its strings are copied
// into one block of their own: one allocation instead of ten, and nothing of
// the call's input kept alive by it.
func (m *MessageRecord) lastMessage(conversationID string) *LastMessage {
	lm := &LastMessage{MessageRefer: m.MessageRefer, MessageContent: m.MessageContent}
	if m.Mine {
		lm.SenderName = ""
	}
	if m.Revoked {
		lm.LastMessageState = LastMessageStateRevoked
		lm.RevokeAccountID = m.RevokeAccountID
		lm.RevokeType = m.RevokeType
	}
	ref := &lm.MessageRefer
	ref.ConversationID = conversationID
	packStrings(&ref.SenderID, &ref.ReceiverID, &ref.MessageClientID, &ref.MessageServerID,
		&lm.Text, (*string)(&lm.Attachment), &lm.ServerExtension, &lm.CallbackExtension, &lm.SenderName,
		&lm.RevokeAccountID)
	return lm
}

// packStrings copies the strings ps point to into one new block and points
// them at their copies.
func packStrings(ps ...*string) {
	n := 0
	for _, p := range ps {
		n += len(*p)
	}
	if n == 0 {
		return
	}
	block := make([]byte, 0, n)
	for _, p := range ps {
		block = append(block, *p...)
	}
	all := unsafe.String(unsafe.SliceData(block), n)
	for _, p := range ps {
		l := len(*p)
		*p, all = all[:l], all[l:]
	}
}

// markRevoked revokes m: its content (text, attachment, extensions) is
// dropped, the postscript takes the text's place, and what remains is what
// the list needs to show it as a revoked lastMessage and to keep counts exact.
func (m *MessageRecord) markRevoked(info RevokeInfo) {
	m.Revoked, m.RevokeAccountID, m.RevokeType = true, info.RevokeAccountID, info.RevokeType
	m.Text, m.Attachment, m.ServerExtension, m.CallbackExtension = info.Postscript, "", "", ""
}

// deleted is a copy of m, deleted.
func (m *MessageRecord) deleted() *MessageRecord {
	d := *m
	d.markDeleted()
	return &d
}

// markDeleted drops what a deleted message no longer needs.
func (m *MessageRecord) markDeleted() {
	ref := m.MessageRefer
	*m = MessageRecord{Mine: m.Mine, Deleted: true}
	m.ConversationID, m.ConversationType = ref.ConversationID, ref.ConversationType
	m.MessageClientID, m.CreateTime = ref.MessageClientID, ref.CreateTime
}

// mayUpdate reports whether m, applied again, could update its stored
// version (updatedBy): the outcome of a send of mine, or a modification.
// Only for such a message is the stored version read: applying a new
// message, or one that can only be a duplicate, reads nothing.
func (m *Message) mayUpdate(mine bool) bool {
	return m.ModifyTime > 0 || (mine && m.SendingState >= SendingStateSucceeded)
}

// sendMayMove says whether a message of mine stored with sendingState from
// takes to: a send in flight (3) ends as succeeded (1) or failed (2), and a
// failed one may be sent again (3) or succeed (1). Succeeded is final; a
// message stored without a state (0: from another device, a sync) has no send
// to follow.
func sendMayMove(from, to int) bool {
	return (from == SendingStateSending || from == SendingStateFailed) && to >= SendingStateSucceeded && to != from
}

// updatedBy is the stored message m once v, a version of it applied again,
// updated it (docs/api.md §2, Message). Two things update it:
//   - the progress of my send (sendMayMove): a message of mine stored while
//     it was being sent (sendingState 3) or after it failed (2) takes the
//     state it comes again with and, on success, the server's createTime
//     and (if given) messageServerId;
//   - a modification: a later modifyTime replaces its content (text,
//     attachment, subType, extensions) and its modifyTime.
//
// A deleted or revoked message stays as it is, and what decides whether m
// counts as unread (its sender, unreadEnabled, and for a message that is
// not mine its createTime) never comes from v. mine says whether v's sender
// is the opened account. The result equals *m when nothing changed.
func (m *MessageRecord) updatedBy(v *Message, mine bool) MessageRecord {
	u := *m
	if m.Deleted || m.Revoked {
		return u
	}
	if m.Mine && mine && sendMayMove(m.SendingState, v.SendingState) {
		u.SendingState = v.SendingState
		if v.SendingState == SendingStateSucceeded {
			u.CreateTime = v.CreateTime
			if v.MessageServerID != "" {
				u.MessageServerID = v.MessageServerID
			}
		}
	}
	if v.ModifyTime > m.ModifyTime {
		u.ModifyTime = v.ModifyTime
		u.Text, u.Attachment, u.SubType = v.Text, v.Attachment, v.SubType
		u.ServerExtension, u.CallbackExtension = v.ServerExtension, v.CallbackExtension
	}
	return u
}
