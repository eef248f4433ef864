package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// lastID is the messageClientId of the conversation's lastMessage, "" if none.
func (f *specFixture) lastID(id string) string {
	f.t.Helper()
	if lm := f.conv(id).LastMessage; lm != nil {
		return lm.MessageRefer.MessageClientID
	}
	return ""
}

// ---- applyMessages ----

func TestApplyMessages_CreatesMissingConversationsWithTheirFinalState(t *testing.T) {
	f := newSpec(t)
	bob, t1 := p2p("bob"), team("t1")
	f.clock.set(5000)

	res := f.apply(msg(t1, "t1a", 150), msg(bob, "m1", 100), msg(bob, "m2", 200))
	require.Equal(t, ApplyResult{Applied: 3}, res)

	b := f.conv(bob)
	require.Equal(t, Conversation{
		ConversationID: bob,
		Type:           TypeP2P,
		LastMessage: &LastMessage{
			MessageRefer: MessageRefer{SenderID: "bob", ReceiverID: me, MessageClientID: "m2",
				ConversationType: TypeP2P, ConversationID: bob, CreateTime: 200},
			MessageContent: MessageContent{Text: "hello m2"},
		},
		UnreadCount: 2,
		SortOrder:   200, // a conversation created by messages starts at its last message
		CreateTime:  5000,
		UpdateTime:  5000,
	}, b)
	tm := f.conv(t1)
	require.Equal(t, 1, tm.UnreadCount)
	require.Equal(t, "t1", tm.LastMessage.MessageRefer.ReceiverID, "a team message's receiver is the team id")
	require.Equal(t, TypeTeam, tm.LastMessage.MessageRefer.ConversationType)

	// One conversationCreated per new conversation, with its final state, and
	// not also in conversationChanged.
	f.requireEvents(wantCreated(b), wantCreated(tm), wantTotal(3))
	f.requireUnreadInvariant()
}

func TestApplyMessages_TheLastMessageCarriesTheMessagesFields(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	m := Message{
		MessageRefer: MessageRefer{ConversationID: bob, MessageClientID: "c1", MessageServerID: "s1", SenderID: "bob", ReceiverID: me,
			CreateTime: 300},
		MessageContent: MessageContent{MessageType: 1, SubType: 7, Text: "a picture", Attachment: `{"url":"https://x/y.png","w":3}`,
			ServerExtension: `{"s":1}`, CallbackExtension: "cb", SenderName: "Bob B.", SendingState: 1},
		UnreadEnabled: true, LastMessageUpdateEnabled: true,
	}
	f.apply(m)
	require.Equal(t, &LastMessage{
		LastMessageState: LastMessageStateDefault,
		MessageRefer: MessageRefer{SenderID: "bob", ReceiverID: me, MessageClientID: "c1", MessageServerID: "s1",
			ConversationType: TypeP2P, ConversationID: bob, CreateTime: 300},
		MessageContent: MessageContent{MessageType: 1, SubType: 7, SendingState: 1, Text: "a picture",
			Attachment: `{"url":"https://x/y.png","w":3}`, ServerExtension: `{"s":1}`, CallbackExtension: "cb", SenderName: "Bob B."},
	}, f.conv(bob).LastMessage)
}

func TestApplyMessages_MineHasNoSenderNameAndTheReceiverIsThePeer(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100))
	f.ev.take()
	mine := msgWith(msg(bob, "m2", 200, me), func(m *Message) { m.SenderName = "Alice" })
	f.apply(mine)
	c := f.conv(bob)
	lm := c.LastMessage
	require.Equal(t, me, lm.MessageRefer.SenderID)
	require.Equal(t, "bob", lm.MessageRefer.ReceiverID)
	require.Empty(t, lm.SenderName, "senderName is absent when the sender is me")
	require.Equal(t, 1, c.UnreadCount, "mine does not count")
	require.EqualValues(t, 200, c.SortOrder)
	f.requireEvents(wantChanged(c)) // the total did not change

	// With the receiver given, it must be the peer.
	f.apply(msgWith(msg(bob, "m3", 300, me), func(m *Message) { m.ReceiverID = "bob" }))
	require.Equal(t, "bob", f.conv(bob).LastMessage.MessageRefer.ReceiverID)
}

func TestApplyMessages_IsIdempotent(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 1}, f.apply(msg(bob, "m1", 100), msg(bob, "m1", 100)))
	f.ev.take()
	before := f.snapshot()
	// By conversationId + messageClientId: the other fields do not matter.
	require.Equal(t, ApplyResult{Duplicates: 2}, f.apply(msg(bob, "m1", 100), msg(bob, "m1", 900)))
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
	require.EqualValues(t, 1, f.total())

	// The same messageClientId in another conversation is another message.
	require.Equal(t, ApplyResult{Applied: 1}, f.apply(msg(team("t1"), "m1", 100)))
	require.EqualValues(t, 2, f.total())
}

func TestApplyMessages_AppliedInTwoTabsCountsOnce(t *testing.T) {
	a := newSpec(t)
	b := a.openTab()
	bob := p2p("bob")
	require.Equal(t, ApplyResult{Applied: 2}, a.apply(msg(bob, "m1", 100), msg(bob, "m2", 200)))
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 2}, b.apply(msg(bob, "m2", 200), msg(bob, "m3", 300), msg(bob, "m1", 100)))
	require.Equal(t, 3, b.unread(bob))
	require.EqualValues(t, 3, b.total())
	require.Eventually(t, func() bool { return a.total() == 3 }, 5e9, 1e6, "the other tab catches up")
	a.requireUnreadInvariant()
	b.requireUnreadInvariant()
}

func TestApplyMessages_LastMessageOrdersByCreateTimeThenMessageClientId(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	for _, step := range []struct {
		m        Message
		wantLast string
	}{
		{msg(bob, "b", 200), "b"},
		{msg(bob, "z", 100), "b"}, // older: not the last one
		{msg(bob, "a", 200), "b"}, // same time, smaller id
		{msg(bob, "c", 200), "c"}, // same time, greater id
		{msg(bob, "0", 201), "0"}, // newer
	} {
		f.apply(step.m)
		require.Equal(t, step.wantLast, f.lastID(bob), "after %s", step.m.MessageClientID)
		require.EqualValues(t, f.conv(bob).LastMessage.MessageRefer.CreateTime, f.conv(bob).SortOrder)
	}
	require.Equal(t, 5, f.unread(bob), "an older message still counts")
	f.ev.take()

	// An older message changes the conversation only through its unread count.
	before := f.conv(bob)
	f.apply(msg(bob, "y", 50))
	after := f.conv(bob)
	require.Equal(t, before.LastMessage, after.LastMessage)
	require.Equal(t, before.SortOrder, after.SortOrder)
	f.requireEvents(wantChanged(after), wantTotal(6))
}

func TestApplyMessages_LastMessageUpdateEnabledFalseLeavesLastMessageAndSortOrder(t *testing.T) {
	f := newSpec(t)
	bob, t1 := p2p("bob"), team("t1")
	quiet := func(m Message) Message {
		return msgWith(m, func(m *Message) { m.LastMessageUpdateEnabled = false })
	}
	f.apply(msg(bob, "m1", 100))
	f.apply(quiet(msg(bob, "m2", 200)))
	c := f.conv(bob)
	require.Equal(t, "m1", c.LastMessage.MessageRefer.MessageClientID)
	require.EqualValues(t, 100, c.SortOrder)
	require.Equal(t, 2, c.UnreadCount, "it still counts as unread")

	// A conversation created by such a message starts at its createTime, with no last message.
	f.apply(quiet(msg(t1, "t1a", 300)))
	c = f.conv(t1)
	require.Nil(t, c.LastMessage)
	require.EqualValues(t, 300, c.SortOrder)
	require.Equal(t, 1, c.UnreadCount)
	f.requireUnreadInvariant()
}

func TestApplyMessages_ANewLastMessageOfAPinnedConversationKeepsItOnTop(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.create(bob)
	f.pin(bob)
	f.ev.take()
	f.apply(msg(bob, "m1", 700))
	c := f.conv(bob)
	require.EqualValues(t, 700+1e15, c.SortOrder)
	f.requireEvents(wantChanged(c), wantTotal(1))
}

func TestApplyMessages_ExistingConversationEmitsChangedThenCounts(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, _ := f.seeded()
	notMuted := Filter{IgnoreMuted: true}
	f.subscribe(notMuted)
	dave := p2p("dave")
	f.clock.set(8000)

	f.apply(msg(s1, "s1b", 500), msg(dave, "d1", 400), msg(bob, "m3", 300), msg(t1, "t1c", 100, me))
	// created…, changed (id order), total, filters
	f.requireEvents(wantCreated(f.conv(dave)), wantChanged(f.conv(bob), f.conv(s1)), wantTotal(7), wantFilter(notMuted, 5))
	require.EqualValues(t, 8000, f.conv(bob).UpdateTime)
	require.EqualValues(t, 300, f.conv(bob).SortOrder)
}

func TestApplyMessages_Rejects(t *testing.T) {
	bob := p2p("bob")
	good := msg(bob, "ok", 100)
	with := func(edit func(*Message)) []Message { return []Message{good, msgWith(msg(bob, "x", 200), edit)} }
	cases := []struct {
		name, param string
		msgs        []Message
	}{
		{"no messages", "messages", nil},
		{"an empty list", "messages", []Message{}},
		{"without messageClientId", "messages[1].messageClientId", with(func(m *Message) { m.MessageClientID = "" })},
		{"a negative createTime", "messages[1].createTime", with(func(m *Message) { m.CreateTime = -1 })},
		{"a createTime at 1e15", "messages[1].createTime", with(func(m *Message) { m.CreateTime = 1e15 })},
		{"without senderId", "messages[1].senderId", with(func(m *Message) { m.SenderID = "" })},
		{"an unknown messageType", "messages[1].messageType", with(func(m *Message) { m.MessageType = 8 })},
		{"a negative sendingState", "messages[1].sendingState", with(func(m *Message) { m.SendingState = -1 })},
		{"sendingState 4", "messages[1].sendingState", with(func(m *Message) { m.SendingState = 4 })},
		{"a P2P sender that is neither me nor the peer", "messages[1].senderId", with(func(m *Message) { m.SenderID = "carol" })},
		{"a P2P message from the peer not to me", "messages[1].receiverId", with(func(m *Message) { m.ReceiverID = "carol" })},
		{"a P2P message of mine not to the peer", "messages[1].receiverId", with(func(m *Message) { m.SenderID, m.ReceiverID = me, me })},
	}
	for _, bad := range badConversationIDs {
		id := bad.id
		cases = append(cases, struct {
			name, param string
			msgs        []Message
		}{"conversationId: " + bad.name, "messages[1].conversationId", with(func(m *Message) { m.ConversationID = id })})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				_, err := f.ApplyMessages(f.ctx, tc.msgs)
				return err
			})
			// Nothing of the call was kept: the good message is new.
			require.Equal(t, ApplyResult{Applied: 1}, f.apply(good))
		})
	}
}

// ---- revokeMessage ----

func TestRevokeMessage_TheLastMessageKeepsItsReferWithState1AndTheRevokeFields(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)
	before := f.conv(bob)
	f.clock.set(6000)

	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, RevokeInfo{RevokeAccountID: "bob", RevokeType: 2}))
	c := f.conv(bob)
	want := *before.LastMessage
	want.LastMessageState = LastMessageStateRevoked
	want.RevokeAccountID, want.RevokeType = "bob", 2
	want.Text = "" // no postscript given: the text is gone all the same
	require.Equal(t, &want, c.LastMessage)
	require.Equal(t, 1, c.UnreadCount, "an unread message revoked lowers unread")
	require.Equal(t, before.SortOrder, c.SortOrder)
	f.requireEvents(wantChanged(c), wantTotal(3), wantFilter(p2pOnly, 1))
	require.True(t, f.stored(bob, "m2").Revoked)
	f.requireUnreadInvariant()

	// Revoked stays known: applying it again is a duplicate.
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(msg(bob, "m2", 200)))
	require.Equal(t, 1, f.unread(bob))

	// A new message replaces it as usual.
	f.apply(msg(bob, "m3", 300))
	require.Equal(t, LastMessageStateDefault, f.conv(bob).LastMessage.LastMessageState)
}

// A revoked message's content is not readable any more, from the list or
// from the database: the postscript replaces its text, its attachment and
// extensions are gone, and so it stays when it becomes lastMessage again.
func TestRevokeMessage_ThePostscriptReplacesTheContent(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	secret := msgWith(msg(bob, "m1", 100), func(m *Message) {
		m.Text, m.Attachment, m.ServerExtension, m.CallbackExtension = "secret", `{"url":"secret.png"}`, "srv", "cb"
		m.SenderName = "Bob"
	})
	f.apply(secret)
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob", Postscript: "Bob recalled a message"}))
	lm := f.conv(bob).LastMessage
	require.Equal(t, LastMessageStateRevoked, lm.LastMessageState)
	require.Equal(t, "Bob recalled a message", lm.Text)
	require.Empty(t, lm.Attachment)
	require.Empty(t, lm.ServerExtension)
	require.Empty(t, lm.CallbackExtension)
	require.Equal(t, "Bob", lm.SenderName, "who sent it is not content")
	stored := f.stored(bob, "m1")
	require.Equal(t, "Bob recalled a message", stored.Text)
	require.Empty(t, stored.Attachment)
	require.Empty(t, stored.ServerExtension)
	require.Empty(t, stored.CallbackExtension)

	// Becoming lastMessage again (the newer one deleted), it shows the same.
	f.apply(msg(bob, "m2", 200))
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}))
	require.Equal(t, lm, f.conv(bob).LastMessage)

	// Another postscript is a change; the same one again is not.
	f.ev.take()
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob", Postscript: "recalled"}))
	require.Equal(t, "recalled", f.conv(bob).LastMessage.Text)
	f.requireEvents(wantChanged(f.conv(bob)))
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob", Postscript: "recalled"}))
	f.requireNoEvents()
}

func TestRevokeMessage_AnUnreadMessageThatIsNotTheLastLowersUnread(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	before := f.conv(bob)
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"}))
	c := f.conv(bob)
	require.Equal(t, before.LastMessage, c.LastMessage)
	require.Equal(t, 1, c.UnreadCount)
	f.requireEvents(wantChanged(c), wantTotal(3))
}

func TestRevokeMessage_ThatChangesNothingVisibleEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 150))
	f.ev.take()
	before := f.conv(bob)
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"}))
	require.Equal(t, before, f.conv(bob))
	require.True(t, f.stored(bob, "m1").Revoked, "the message is revoked all the same")
	f.requireNoEvents()
}

func TestRevokeMessage_AgainWithTheSameInfoIsANoOp(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	info := RevokeInfo{RevokeAccountID: "bob", RevokeType: 1}
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, info))
	f.ev.take()
	before := f.snapshot()
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, info))
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()

	// Other revoke fields update the last message, the unread count stays.
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, RevokeInfo{RevokeAccountID: "admin", RevokeType: 3}))
	c := f.conv(bob)
	require.Equal(t, "admin", c.LastMessage.RevokeAccountID)
	require.Equal(t, 3, c.LastMessage.RevokeType)
	require.Equal(t, 1, c.UnreadCount)
	f.requireEvents(wantChanged(c))
}

func TestRevokeMessage_MineAsTheLastMessage(t *testing.T) {
	f := newSpec(t)
	_, t1, _, _ := f.seeded() // t1b at 160 is mine and last
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{t1, "t1b"}, RevokeInfo{RevokeAccountID: me}))
	c := f.conv(t1)
	require.Equal(t, LastMessageStateRevoked, c.LastMessage.LastMessageState)
	require.Equal(t, me, c.LastMessage.RevokeAccountID)
	require.Empty(t, c.LastMessage.SenderName)
	require.Equal(t, 1, c.UnreadCount)
	f.requireEvents(wantChanged(c))
}

func TestRevokeMessage_Rejects(t *testing.T) {
	bob := p2p("bob")
	cases := []struct {
		name, param string
		k           MessageKey
	}{
		{"a message that is not stored", "refer", MessageKey{bob, "nope"}},
		{"a message stored in another conversation", "refer", MessageKey{bob, "t1a"}},
		{"a deleted message", "refer", MessageKey{bob, "m1"}},
		{"an unknown conversation", "refer.conversationId", MessageKey{p2p("nobody"), "m1"}},
		{"a deleted conversation", "refer.conversationId", MessageKey{team("gone"), "g"}},
		{"an empty messageClientId", "refer.messageClientId", MessageKey{bob, ""}},
	}
	for _, bad := range badConversationIDs {
		cases = append(cases, struct {
			name, param string
			k           MessageKey
		}{"conversationId: " + bad.name, "refer.conversationId", MessageKey{bad.id, "m2"}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m1"}}))
			f.apply(msg(team("gone"), "g", 100))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.RevokeMessage(f.ctx, tc.k, RevokeInfo{RevokeAccountID: "bob"})
			})
		})
	}
}

// ---- deleteMessages ----

func TestDeleteMessages_TheLastMessageFallsBackToTheNewestRemaining(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)
	before := f.conv(bob)

	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}))
	c := f.conv(bob)
	require.Equal(t, "m1", c.LastMessage.MessageRefer.MessageClientID)
	require.EqualValues(t, 100, c.LastMessage.MessageRefer.CreateTime)
	require.Equal(t, "hello m1", c.LastMessage.Text)
	require.Equal(t, 1, c.UnreadCount, "an unread message deleted lowers unread")
	require.Equal(t, before.SortOrder, c.SortOrder, "a fall back is no new message: sortOrder stays")
	f.requireEvents(wantChanged(c), wantTotal(3), wantFilter(p2pOnly, 1))
	require.True(t, f.stored(bob, "m2").Deleted)
	f.requireUnreadInvariant()

	// The last one goes: null.
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m1"}}))
	c = f.conv(bob)
	require.Nil(t, c.LastMessage)
	require.Zero(t, c.UnreadCount)
	f.requireEvents(wantChanged(c), wantTotal(2), wantFilter(p2pOnly, 0))

	// Deleted stays known: applying it again is a duplicate.
	require.Equal(t, ApplyResult{Duplicates: 2}, f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200)))
	require.Nil(t, f.conv(bob).LastMessage)
}

func TestDeleteMessages_FallBackOrdersByCreateTimeThenIdAndSkipsQuietMessages(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(
		msg(bob, "c", 100),
		msg(bob, "a", 200),
		msg(bob, "b", 200),
		msgWith(msg(bob, "q", 250), func(m *Message) { m.LastMessageUpdateEnabled = false }),
		msg(bob, "d", 300),
	)
	require.Equal(t, "d", f.lastID(bob))
	for _, step := range []struct{ del, wantLast string }{
		{"d", "b"}, // q is newer but never a last message
		{"b", "a"}, // same time: the greater id first
		{"a", "c"},
		{"c", ""},
	} {
		require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, step.del}}))
		require.Equal(t, step.wantLast, f.lastID(bob), "after deleting %s", step.del)
	}
	require.Equal(t, 1, f.unread(bob), "q still counts")
	f.requireUnreadInvariant()
}

func TestDeleteMessages_FallBackToARevokedMessageShowsItRevoked(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msgWith(msg(bob, "m1", 100), func(m *Message) { m.SenderName = "Bob" }), msg(bob, "m2", 200))
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob", RevokeType: 1}))
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}))
	lm := f.conv(bob).LastMessage
	require.Equal(t, "m1", lm.MessageRefer.MessageClientID)
	require.Equal(t, LastMessageStateRevoked, lm.LastMessageState)
	require.Equal(t, "bob", lm.RevokeAccountID)
	require.Equal(t, 1, lm.RevokeType)
	require.Equal(t, "Bob", lm.SenderName)
	require.Zero(t, f.unread(bob))
}

func TestDeleteMessages_FallBackToMineHasNoSenderName(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msgWith(msg(bob, "m1", 100, me), func(m *Message) { m.SenderName = "Alice" }), msg(bob, "m2", 200))
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}))
	lm := f.conv(bob).LastMessage
	require.Equal(t, "m1", lm.MessageRefer.MessageClientID)
	require.Empty(t, lm.SenderName)
}

func TestDeleteMessages_SeveralConversationsInOneCall(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, _ := f.seeded()
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{s1, "s1a"}, {bob, "m1"}, {t1, "t1b"}, {bob, "m1"}}))
	require.Equal(t, 1, f.unread(bob))
	require.Zero(t, f.unread(s1))
	require.Nil(t, f.conv(s1).LastMessage)
	require.Equal(t, "t1a", f.lastID(t1))
	require.Equal(t, 1, f.unread(t1), "a deleted message of mine lowers nothing")
	f.requireEvents(wantChanged(f.conv(bob), f.conv(t1), f.conv(s1)), wantTotal(2))
	f.requireUnreadInvariant()
}

func TestDeleteMessages_MessagesNotStoredAreSkipped(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m1"}}))
	f.ev.take()
	before := f.snapshot()
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "nope"}, {p2p("nobody"), "m1"}, {bob, "m1"}}))
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
}

func TestDeleteMessages_AReadMessageThatIsNotTheLastEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 150))
	f.ev.take()
	before := f.conv(bob)
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m1"}}))
	require.Equal(t, before, f.conv(bob))
	require.True(t, f.stored(bob, "m1").Deleted)
	f.requireNoEvents()
}

func TestDeleteMessages_OfADeletedConversationDoesNotBringItBack(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.DeleteConversation(f.ctx, bob, false))
	f.ev.take()
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}))
	f.requireNoEvents()
	_, err := f.GetConversation(bob)
	requireCode(t, CodeInvalidParam, err)
	require.True(t, f.stored(bob, "m2").Deleted)
}

func TestDeleteMessages_Rejects(t *testing.T) {
	bob := p2p("bob")
	cases := []struct {
		name, param string
		keys        []MessageKey
	}{
		{"no refers", "refers", nil},
		{"an empty list", "refers", []MessageKey{}},
		{"an empty messageClientId", "refers[1].messageClientId", []MessageKey{{bob, "m1"}, {bob, ""}}},
	}
	for _, bad := range badConversationIDs {
		cases = append(cases, struct {
			name, param string
			keys        []MessageKey
		}{"conversationId: " + bad.name, "refers[1].conversationId", []MessageKey{{bob, "m1"}, {bad.id, "m2"}}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.DeleteMessages(f.ctx, tc.keys)
			})
		})
	}
}
