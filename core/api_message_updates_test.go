package core

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// docs/api.md, applyMessages: a known message applied again is a duplicate,
// and may still update the stored one — the outcome of my send, a
// modification — and a deleted conversation stays deleted when its old
// messages come again.

// sending is a message of mine in conv as the host applies it while it is
// being sent (sendingState 3).
func sending(conv, clientID string, createTime int64) Message {
	return msgWith(msg(conv, clientID, createTime, me), func(m *Message) { m.SendingState = SendingStateSending })
}

// sent is m as the host applies it again once its send ended: succeeded,
// with the server's createTime and id, or failed.
func sent(m Message, state int, serverTime int64, serverID string) Message {
	m.SendingState, m.CreateTime, m.MessageServerID = state, serverTime, serverID
	return m
}

// modified is m as applied again after a modification at modifyTime.
func modified(m Message, modifyTime int64, text string) Message {
	m.ModifyTime, m.Text, m.SubType = modifyTime, text, 4
	m.Attachment, m.ServerExtension, m.CallbackExtension = `{"url":"new.png"}`, `{"v":2}`, "cb2"
	return m
}

// ---- the outcome of my send ----

func TestApplyMessages_MySendThatSucceededShowsTheServersTimeAndId(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "b1", 50))
	out := sending(bob, "c1", 100)
	f.apply(out)
	c := f.conv(bob)
	require.Equal(t, SendingStateSending, c.LastMessage.SendingState)
	require.EqualValues(t, 100, c.SortOrder)
	f.ev.take()

	f.clock.set(2000)
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(sent(out, SendingStateSucceeded, 130, "srv-1")),
		"applied counts new messages; a known message is a duplicate even when it updated the stored one")
	c = f.conv(bob)
	lm := c.LastMessage
	require.Equal(t, SendingStateSucceeded, lm.SendingState)
	require.EqualValues(t, 130, lm.MessageRefer.CreateTime)
	require.Equal(t, "srv-1", lm.MessageRefer.MessageServerID)
	require.Equal(t, "hello c1", lm.Text)
	require.EqualValues(t, 130, c.SortOrder, "the list moves to the new createTime, as for a new last message")
	require.EqualValues(t, 2000, c.UpdateTime)
	require.Equal(t, 1, c.UnreadCount, "mine never counts")
	f.requireEvents(wantChanged(c)) // no count changed
	st := f.stored(bob, "c1")
	require.Equal(t, SendingStateSucceeded, st.SendingState)
	require.EqualValues(t, 130, st.CreateTime)
	require.Equal(t, "srv-1", st.MessageServerID)

	// The same outcome again, or any later state, changes nothing.
	before := f.snapshot()
	for _, again := range []Message{
		sent(out, SendingStateSucceeded, 130, "srv-1"),
		sent(out, SendingStateSucceeded, 170, "srv-2"),
		sent(out, SendingStateFailed, 130, ""),
		out, // sending again
	} {
		require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(again))
	}
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
	f.requireUnreadInvariant()
}

func TestApplyMessages_MySendThatFailedKeepsItsTimeAndPlace(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	f.apply(out)
	f.ev.take()
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(sent(out, SendingStateFailed, 900, "ignored")))
	c := f.conv(bob)
	require.Equal(t, SendingStateFailed, c.LastMessage.SendingState)
	require.EqualValues(t, 100, c.LastMessage.MessageRefer.CreateTime, "a failure takes no server time")
	require.Empty(t, c.LastMessage.MessageRefer.MessageServerID)
	require.EqualValues(t, 100, c.SortOrder)
	f.requireEvents(wantChanged(c))
	// The same failure again changes nothing.
	f.apply(sent(out, SendingStateFailed, 900, "ignored"))
	f.requireNoEvents()
}

// The SDK sends a failed message again with the same client id: sending,
// then its outcome. Succeeded is final.
func TestApplyMessages_AFailedSendSentAgainFollowsTheNewSend(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	f.apply(out)
	f.apply(sent(out, SendingStateFailed, 100, ""))
	f.ev.take()

	f.apply(sent(out, SendingStateSending, 100, ""))
	require.Equal(t, SendingStateSending, f.conv(bob).LastMessage.SendingState, "sending again")
	f.requireEvents(wantChanged(f.conv(bob)))
	f.apply(sent(out, SendingStateSucceeded, 150, "srv"))
	c := f.conv(bob)
	require.Equal(t, SendingStateSucceeded, c.LastMessage.SendingState)
	require.EqualValues(t, 150, c.LastMessage.MessageRefer.CreateTime, "the server's time")
	require.EqualValues(t, 150, c.SortOrder)
	f.requireEvents(wantChanged(c))

	for _, state := range []int{SendingStateSending, SendingStateFailed} {
		f.apply(sent(out, state, 900, "later"))
		require.Equal(t, SendingStateSucceeded, f.stored(bob, "c1").SendingState, "succeeded is final")
		f.requireNoEvents()
	}
}

func TestApplyMessages_TheOutcomeOfASendThatIsNotTheLastMessage(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	f.apply(out, msg(bob, "b2", 200))
	require.Equal(t, "b2", f.lastID(bob))
	f.ev.take()
	before := f.conv(bob)

	f.apply(sent(out, SendingStateSucceeded, 300, "srv"))
	require.Equal(t, before, f.conv(bob), "a lastMessage that it is not stays as it is, and so does the list")
	f.requireNoEvents()
	require.EqualValues(t, 300, f.stored(bob, "c1").CreateTime)
	// Its new createTime is the conversation's newest: marking read reaches it.
	f.clock.set(250)
	rt, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 300, rt)
}

func TestApplyMessages_TheOutcomeMovesAPinnedConversationOnlyToALaterTime(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	f.apply(out)
	f.clock.set(5000)
	f.pin(bob) // its sort time is now the pin's: 5000
	f.ev.take()
	f.apply(sent(out, SendingStateSucceeded, 150, "srv"))
	c := f.conv(bob)
	require.EqualValues(t, 150, c.LastMessage.MessageRefer.CreateTime)
	require.EqualValues(t, pinBoost+5000, c.SortOrder, "150 is not later than 5000")
	f.requireEvents(wantChanged(c))
}

func TestApplyMessages_WhatASendsOutcomeDoesNotUpdate(t *testing.T) {
	bob := p2p("bob")
	cases := []struct {
		name  string
		setup func(f *specFixture) // applies c1 as it is stored
		again Message
	}{
		{"a message of another's (as it is not mine)", func(f *specFixture) {
			f.apply(msgWith(msg(bob, "c1", 100), func(m *Message) { m.SendingState = SendingStateSending }))
		}, msgWith(msg(bob, "c1", 130), func(m *Message) { m.SendingState = SendingStateSucceeded })},
		{"one stored as succeeded", func(f *specFixture) {
			f.apply(sent(sending(bob, "c1", 100), SendingStateSucceeded, 100, "s"))
		}, sent(sending(bob, "c1", 100), SendingStateFailed, 130, "")},
		{"one stored with an unknown state", func(f *specFixture) {
			f.apply(msg(bob, "c1", 100, me))
		}, sent(sending(bob, "c1", 100), SendingStateSucceeded, 130, "s")},
		{"a revoked one", func(f *specFixture) {
			f.apply(sending(bob, "c1", 100))
			require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "c1"}, RevokeInfo{RevokeAccountID: me}))
		}, sent(sending(bob, "c1", 100), SendingStateSucceeded, 130, "s")},
		{"a deleted one", func(f *specFixture) {
			f.apply(msg(bob, "b0", 50), sending(bob, "c1", 100))
			require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "c1"}}))
		}, sent(sending(bob, "c1", 100), SendingStateSucceeded, 130, "s")},
		{"the outcome given as sending", func(f *specFixture) {
			f.apply(sending(bob, "c1", 100))
		}, sent(sending(bob, "c1", 100), SendingStateSending, 130, "s")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			tc.setup(f)
			f.ev.take()
			before := f.snapshot()
			require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(tc.again))
			require.Equal(t, before, f.snapshot())
			f.requireNoEvents()
		})
	}
}

func TestApplyMessages_ASendAndItsOutcomeInOneCall(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 1}, f.apply(out, sent(out, SendingStateSucceeded, 120, "srv")))
	c := f.conv(bob)
	require.Equal(t, SendingStateSucceeded, c.LastMessage.SendingState)
	require.EqualValues(t, 120, c.SortOrder)
	// Created with its final state, and not also changed.
	f.requireEvents(wantCreated(c))
	require.Equal(t, SendingStateSucceeded, f.stored(bob, "c1").SendingState)
}

// ---- modifications ----

func TestApplyMessages_AModificationReplacesTheLastMessagesContent(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	m1 := msg(bob, "m1", 100)
	f.apply(msg(bob, "m0", 50), m1)
	f.ev.take()
	f.clock.set(3000)

	// Its createTime, unreadEnabled and sender are not taken from the new
	// version: it counts as it did.
	edit := modified(m1, 10, "edited")
	edit.CreateTime, edit.UnreadEnabled, edit.SendingState, edit.SenderName = 999, false, SendingStateFailed, "Robert"
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(edit))
	c := f.conv(bob)
	require.Equal(t, &LastMessage{
		MessageRefer: MessageRefer{SenderID: "bob", ReceiverID: me, MessageClientID: "m1",
			ConversationType: TypeP2P, ConversationID: bob, CreateTime: 100},
		MessageContent: MessageContent{SubType: 4, Text: "edited", Attachment: `{"url":"new.png"}`,
			ServerExtension: `{"v":2}`, CallbackExtension: "cb2"},
	}, c.LastMessage)
	require.EqualValues(t, 100, c.SortOrder, "a modification does not move the conversation")
	require.EqualValues(t, 3000, c.UpdateTime)
	require.Equal(t, 2, c.UnreadCount)
	f.requireEvents(wantChanged(c))
	st := f.stored(bob, "m1")
	require.EqualValues(t, 10, st.ModifyTime)
	require.Equal(t, "edited", st.Text)
	require.True(t, st.UnreadEnabled)
	f.requireUnreadInvariant()

	// Only a later modification replaces it.
	before := f.snapshot()
	for _, again := range []Message{modified(m1, 10, "same time"), modified(m1, 9, "older"), m1} {
		require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(again))
	}
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
	f.apply(modified(m1, 11, "again"))
	require.Equal(t, "again", f.conv(bob).LastMessage.Text)
}

func TestApplyMessages_AModificationOfAnotherMessageShowsWhenItBecomesLast(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	m1 := msg(bob, "m1", 100)
	f.apply(m1, msg(bob, "m2", 200))
	f.ev.take()
	before := f.conv(bob)
	f.apply(modified(m1, 5, "edited"))
	require.Equal(t, before, f.conv(bob))
	f.requireNoEvents()
	// m2 goes: the list falls back to m1, as modified.
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}}))
	require.Equal(t, "edited", f.conv(bob).LastMessage.Text)
}

func TestApplyMessages_ARevokedOrDeletedMessageIsNotModified(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	m1, m2 := msg(bob, "m1", 100), msg(bob, "m2", 200)
	f.apply(msg(bob, "m0", 50), m1, m2)
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, RevokeInfo{RevokeAccountID: "bob", Postscript: "gone"}))
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m1"}}))
	f.ev.take()
	before := f.snapshot()
	require.Equal(t, ApplyResult{Duplicates: 2}, f.apply(modified(m1, 5, "edited"), modified(m2, 5, "edited")))
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
	require.Equal(t, "gone", f.conv(bob).LastMessage.Text)
}

func TestApplyMessages_AnOutcomeAndAModificationAtOnce(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	f.apply(out)
	f.apply(modified(sent(out, SendingStateSucceeded, 140, "srv"), 7, "fixed typo"))
	lm := f.conv(bob).LastMessage
	require.Equal(t, SendingStateSucceeded, lm.SendingState)
	require.EqualValues(t, 140, lm.MessageRefer.CreateTime)
	require.Equal(t, "fixed typo", lm.Text)
}

// ---- a deleted conversation and its old messages ----

func TestApplyMessages_OldMessagesDoNotBringADeletedConversationBack(t *testing.T) {
	f := newSpec(t)
	bob, t1 := p2p("bob"), team("t1")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200), msg(t1, "t1a", 150))
	f.clock.set(1000)
	require.NoError(t, f.DeleteConversation(f.ctx, bob, false)) // marks its read time: 1000
	f.ev.take()
	before := f.snapshot()

	// A NIM login delivers roaming messages again, known or not, all from
	// before the deletion (one at its very time).
	res := f.apply(msg(bob, "m1", 100), msg(bob, "m0", 20), msg(bob, "m9", 1000), msg(bob, "m2", 200))
	require.Equal(t, ApplyResult{Applied: 2, Duplicates: 2}, res, "the unknown ones are stored: applied")
	f.requireNoEvents()
	_, err := f.GetConversation(bob)
	requireCode(t, CodeInvalidParam, err)
	after := f.snapshot()
	require.NotNil(t, after.DBMsgs[MessageKey{bob, "m9"}], "stored, known")
	delete(after.DBMsgs, MessageKey{bob, "m0"})
	delete(after.DBMsgs, MessageKey{bob, "m9"})
	// The tombstone keeps them in its tail: it is written again, unchanged
	// but for its change sequence.
	require.Equal(t, before.DBSeq+1, after.DBSeq)
	require.Equal(t, after.DBSeq, after.DBConvs[bob].Seq)
	after.DBConvs[bob].Seq, after.DBSeq = before.DBConvs[bob].Seq, before.DBSeq
	require.Equal(t, before, after, "nothing but the two messages changed")
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(msg(bob, "m9", 1000)), "known: a duplicate")
	f.requireUnreadInvariant()
}

func TestApplyMessages_ANewerMessageBringsADeletedConversationBackWithOnlyItself(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100))
	f.clock.set(1000)
	require.NoError(t, f.DeleteConversation(f.ctx, bob, false))
	f.ev.take()

	// An old message in the same call, before or after the new one, is no
	// candidate for lastMessage, even when the new one cannot be last.
	for _, order := range [][]string{{"old", "new"}, {"new", "old"}} {
		t.Run(order[0]+" first", func(t *testing.T) {
			g := newSpec(t)
			g.apply(msg(bob, "m1", 100))
			g.clock.set(1000)
			require.NoError(t, g.DeleteConversation(g.ctx, bob, false))
			g.clock.set(1500)
			g.ev.take()
			byName := map[string]Message{
				"old": msg(bob, "m5", 900),
				"new": msgWith(msg(bob, "m6", 1001), func(m *Message) { m.LastMessageUpdateEnabled = false }),
			}
			require.Equal(t, ApplyResult{Applied: 2}, g.apply(byName[order[0]], byName[order[1]]))
			c := g.conv(bob)
			require.Nil(t, c.LastMessage)
			require.EqualValues(t, 1001, c.SortOrder, "it starts at the message that brought it back")
			require.Equal(t, 1, c.UnreadCount)
			require.EqualValues(t, 1000, g.readTime(bob), "it keeps the read time its deletion marked")
			g.requireEvents(wantCreated(c), wantTotal(1))
			g.requireUnreadInvariant()
		})
	}

	f.clock.set(1500)
	require.Equal(t, ApplyResult{Applied: 1}, f.apply(msg(bob, "m3", 1001)))
	c := f.conv(bob)
	require.Equal(t, "m3", c.LastMessage.MessageRefer.MessageClientID)
	require.Equal(t, 1, c.UnreadCount)
	f.requireEvents(wantCreated(c), wantTotal(1))
}

func TestApplyMessages_ADeletedConversationStaysDeletedInEveryTab(t *testing.T) {
	a := newSpec(t)
	b := a.openTab()
	bob := p2p("bob")
	a.apply(msg(bob, "m1", 100))
	require.NoError(t, a.DeleteConversation(a.ctx, bob, true))
	require.Eventually(t, func() bool { _, err := b.GetConversation(bob); return err != nil }, 5e9, 1e6)
	a.ev.take()
	b.ev.take()

	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 1}, b.apply(msg(bob, "m1", 100), msg(bob, "m2", 500)))
	b.requireNoEvents()
	_, err := b.GetConversation(bob)
	requireCode(t, CodeInvalidParam, err)
	require.Equal(t, ApplyResult{Duplicates: 1}, a.apply(msg(bob, "m2", 500)), "known in the other tab too")

	// A newer one, from either tab, brings it back everywhere.
	b.clock.set(1500)
	b.apply(msg(bob, "m3", 1200))
	require.Eventually(t, func() bool { _, err := a.GetConversation(bob); return err == nil }, 5e9, 1e6)
	require.Equal(t, 1, a.unread(bob))
	require.Equal(t, b.conv(bob), a.conv(bob))
	a.requireUnreadInvariant()
}

// ---- several tabs, failures, validation ----

func TestApplyMessages_AnUpdateInOneTabReachesTheOther(t *testing.T) {
	a := newSpec(t)
	b := a.openTab()
	bob := p2p("bob")
	out := sending(bob, "c1", 100)
	a.apply(out)
	require.Eventually(t, func() bool { _, err := b.GetConversation(bob); return err == nil }, 5e9, 1e6)
	a.ev.take()
	b.ev.take()

	b.clock.set(2000)
	require.Equal(t, ApplyResult{Duplicates: 1}, b.apply(sent(out, SendingStateSucceeded, 130, "srv")))
	want := b.conv(bob)
	require.Equal(t, SendingStateSucceeded, want.LastMessage.SendingState)
	require.Eventually(t, func() bool { c, err := a.GetConversation(bob); return err == nil && reflect.DeepEqual(c, want) }, 5e9, 1e6)
	require.Equal(t, want, a.conv(bob))
	a.requireEvents(wantChanged(want))

	// The other tab's stale view does not undo it: applying the sending
	// version again there is a duplicate.
	a.apply(out)
	require.Equal(t, want, a.conv(bob))
	a.apply(modified(out, 3, "edited in a"))
	require.Eventually(t, func() bool {
		c, err := b.GetConversation(bob)
		return err == nil && c.LastMessage.Text == "edited in a"
	}, 5e9, 1e6)
	require.Equal(t, SendingStateSucceeded, b.conv(bob).LastMessage.SendingState)
}

func TestApplyMessages_AFailedUpdateChangesNothing(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	out, m1 := sending(bob, "c1", 100), msg(bob, "m1", 50)
	f.apply(m1, out)
	f.ev.take()
	before := f.snapshot()
	batch := []Message{sent(out, SendingStateSucceeded, 130, "srv"), modified(m1, 5, "edited")}

	f.db.failNextUpdate(errors.New("QuotaExceededError"))
	_, err := f.ApplyMessages(f.ctx, batch)
	requireCode(t, CodeInternal, err)
	require.Equal(t, before, f.snapshot(), "cache and database are as before")
	f.requireNoEvents()

	require.Equal(t, ApplyResult{Duplicates: 2}, f.apply(batch...))
	require.Equal(t, SendingStateSucceeded, f.conv(bob).LastMessage.SendingState)
	require.Equal(t, "edited", f.stored(bob, "m1").Text)
}

func TestApplyMessages_RejectsABadModifyTime(t *testing.T) {
	bob := p2p("bob")
	for _, tc := range []struct {
		name string
		t    int64
	}{{"negative", -1}, {"at 1e15", 1e15}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, "messages[1].modifyTime", func() error {
				_, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "ok", 300), msgWith(msg(bob, "m1", 100), func(m *Message) { m.ModifyTime = tc.t })})
				return err
			})
		})
	}
	// As JS sends it: a number, an integer, finite; undefined is absent.
	for _, v := range append(jsValues, jsValue{"fraction", 1.5, ""}, jsValue{"1e400", json.RawMessage("1e400"), ""}) {
		if v.kind == "a number" {
			continue
		}
		t.Run("JS "+v.label, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			m := messageWith(func(m map[string]any) { m["modifyTime"] = v.v })
			if v.kind == "undefined" {
				f.mustCallJS("applyMessages", []any{m})
				require.Zero(t, f.stored(bob, "m9").ModifyTime)
				return
			}
			f.requireRejected(CodeInvalidParam, "messages[0].modifyTime", func() error {
				_, err := f.callJS("applyMessages", []any{m})
				return err
			})
		})
	}
}
