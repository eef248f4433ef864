package core

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// A lastMessage stays in the cache after its message and its call are gone:
// it shares the conversation's id and keeps its other strings in one block,
// apart from the message's own.
func TestALastMessageHoldsItsStringsInOneBlock(t *testing.T) {
	m := &MessageRecord{Revoked: true, RevokeAccountID: "eve", RevokeType: 2}
	m.ConversationID, m.ConversationType, m.CreateTime = p2p("bob"), TypeP2P, 7
	m.SenderID, m.ReceiverID, m.MessageClientID, m.MessageServerID = "bob", "me", "c1", "s1"
	m.Text, m.Attachment, m.ServerExtension, m.CallbackExtension, m.SenderName = "hi", `{"a":1}`, "se", "ce", "Bob"
	id := string([]byte(p2p("bob"))) // the conversation's own copy of the id

	lm := m.lastMessage(id)
	want := &LastMessage{LastMessageState: LastMessageStateRevoked, MessageRefer: m.MessageRefer, MessageContent: m.MessageContent,
		RevokeAccountID: "eve", RevokeType: 2}
	require.Equal(t, want, lm)

	ref := &lm.MessageRefer
	require.Same(t, unsafe.StringData(id), unsafe.StringData(ref.ConversationID))
	strs := []string{ref.SenderID, ref.ReceiverID, ref.MessageClientID, ref.MessageServerID,
		lm.Text, string(lm.Attachment), lm.ServerExtension, lm.CallbackExtension, lm.SenderName, lm.RevokeAccountID}
	next := unsafe.StringData(strs[0])
	for _, s := range strs {
		require.Same(t, next, unsafe.StringData(s), "%q does not follow the one before it in one block", s)
		next = (*byte)(unsafe.Add(unsafe.Pointer(next), len(s)))
	}
	require.NotSame(t, unsafe.StringData(m.Text), unsafe.StringData(lm.Text))
}
