package core

import (
	"fmt"
	"math"
	"strconv"
)

// Limits (docs/api.md §2; README "Limits").
const (
	MaxDeleteIDs           = 100         // deleteConversationListByIds
	MaxClearIDs            = 10          // clearUnreadCountByIds
	MaxPinned              = 100         // pinned conversations
	MaxLocalExtensionBytes = 64 << 10    // localExtension, UTF-8
	MaxListLength          = 10000       // any other list parameter
	MaxTime                = int64(1e15) // times are below it, so pinned ones sort first
)

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER: integer parameters
// without a range of their own must be exact in a JS number.
const maxSafeInteger = 1<<53 - 1

func checkTime(name string, t int64) error {
	if t < 0 || t >= MaxTime {
		return invalid("%s must be a time in milliseconds in [0, 1e15), got %s", name, formatInt(t))
	}
	return nil
}

// checkSafeInteger is the range of integer parameters that have none of their own.
func checkSafeInteger(name string, n int64) error {
	if n < -maxSafeInteger || n > maxSafeInteger {
		return invalid("%s must be an integer in [-(2^53-1), 2^53-1], got %s", name, formatInt(n))
	}
	return nil
}

// checkTypes validates conversation types; required means at least one.
func checkTypes(name string, types []ConversationType, required bool) error {
	if required && len(types) == 0 {
		return invalid("%s must not be empty", name)
	}
	if err := checkLength(name, len(types), MaxListLength); err != nil {
		return err
	}
	for i, t := range types {
		if !t.valid() {
			return invalid("%s[%d] must be a conversation type 1, 2 or 3, got %s", name, i, formatInt(int64(t)))
		}
	}
	return nil
}

// checkFilter validates a filter and returns it normalized.
func checkFilter(f Filter) (Filter, error) {
	if err := checkTypes("filter.conversationTypes", f.ConversationTypes, false); err != nil {
		return f, err
	}
	if len(f.ConversationTypes) == 0 && !f.IgnoreMuted {
		return f, invalid("filter selects nothing: give conversationTypes or set ignoreMuted to true")
	}
	return Filter{normalizeTypes(f.ConversationTypes), f.IgnoreMuted}, nil
}

func sameFilter(a, b Filter) bool {
	if a.IgnoreMuted != b.IgnoreMuted || len(a.ConversationTypes) != len(b.ConversationTypes) {
		return false
	}
	for i := range a.ConversationTypes {
		if a.ConversationTypes[i] != b.ConversationTypes[i] {
			return false
		}
	}
	return true
}

// checkIDs validates a list of conversation ids of the opened account.
func (s *Service) checkIDs(name string, ids []string, max int) error {
	if len(ids) == 0 {
		return invalid("%s must not be empty", name)
	}
	if len(ids) > max {
		return invalid("%s has %d ids, at most %d are allowed", name, len(ids), max)
	}
	for i, id := range ids {
		if _, err := s.checkID(fmt.Sprintf("%s[%d]", name, i), id); err != nil {
			return err
		}
	}
	return nil
}

// Message types and sending states a message may carry; messageTypeList
// names the types for error messages.
var messageTypes = map[int]bool{-1: true, 0: true, 1: true, 2: true, 3: true, 4: true, 5: true,
	6: true, 7: true, 10: true, 11: true, 12: true, 100: true}

const messageTypeList = "-1, 0 to 7, 10, 11, 12 or 100"

const maxSendingState = SendingStateSending

// checkMessage validates one message of applyMessages, named name in errors,
// and fills its ConversationType from its conversation id.
func (s *Service) checkMessage(name string, m *Message) error {
	cid, err := s.checkID(name+".conversationId", m.ConversationID)
	if err != nil {
		return err
	}
	m.ConversationType = cid.Type
	if m.MessageClientID == "" {
		return invalid("%s.messageClientId must not be empty", name)
	}
	if m.SenderID == "" {
		return invalid("%s.senderId must not be empty", name)
	}
	if err := checkTime(name+".createTime", m.CreateTime); err != nil {
		return err
	}
	// The field's name is built only for the error: every message has a
	// modifyTime to check, and most are valid.
	if checkTime("", m.ModifyTime) != nil {
		return checkTime(name+".modifyTime", m.ModifyTime)
	}
	if !messageTypes[m.MessageType] {
		return invalid("%s.messageType %s is not a known message type: one of %s", name, formatInt(int64(m.MessageType)), messageTypeList)
	}
	if err := checkSafeInteger(name+".subType", int64(m.SubType)); err != nil {
		return err
	}
	if m.SendingState < 0 || m.SendingState > maxSendingState {
		return invalid("%s.sendingState must be 0..3 (unknown, succeeded, failed, sending), got %s", name, formatInt(int64(m.SendingState)))
	}
	if cid.Type == TypeP2P {
		mine := m.SenderID == s.h.account
		if !mine && m.SenderID != cid.TargetID {
			return invalid("%s.senderId %q is neither the opened account nor the peer %q of P2P conversation %q",
				name, m.SenderID, cid.TargetID, m.ConversationID)
		}
		want := s.h.account
		if mine {
			want = cid.TargetID
		}
		if m.ReceiverID != "" && m.ReceiverID != want {
			return invalid("%s.receiverId must be %q in P2P conversation %q, got %q", name, want, m.ConversationID, m.ReceiverID)
		}
	}
	return nil
}

// checkRefer validates a message refer.
func (s *Service) checkRefer(name string, k MessageKey) error {
	if _, err := s.checkID(name+".conversationId", k.ConversationID); err != nil {
		return err
	}
	if k.MessageClientID == "" {
		return invalid("%s.messageClientId must not be empty", name)
	}
	return nil
}

// formatInt writes n for an error message; the ends of int64 stand for any
// number beyond them (see argInt).
func formatInt(n int64) string {
	switch n {
	case math.MaxInt64:
		return "a number of 2^63 or more"
	case math.MinInt64:
		return "a number of -2^63 or less"
	}
	return strconv.FormatInt(n, 10)
}

// formatNumber writes f as JavaScript's String(f) would for the numbers in
// error messages: integers below 1e21 in full, others in the shortest form.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// checkCurrentConversationArg is setCurrentConversation's rule for a string:
// null means "none on screen", so "" is a mistake, not a synonym for it.
func checkCurrentConversationArg(name, id string) error {
	if id == "" {
		return invalid("%s must not be empty (pass null for no current conversation)", name)
	}
	return nil
}

// noSuchConversation is the error of a call naming a conversation that must
// exist and does not (docs/api.md §5: 191004).
func noSuchConversation(name, id string) error {
	return invalid("%s %q: no such conversation", name, id)
}

// checkLength is the rule for how many entries a list parameter may have.
// checkList checks the length of a list a call takes whole: 1..MaxListLength.
func checkList(name string, n int) error {
	if n == 0 {
		return invalid("%s must not be empty", name)
	}
	if n > MaxListLength {
		return invalid("%s has %d entries, at most %d are allowed per call", name, n, MaxListLength)
	}
	return nil
}

func checkLength(name string, n, max int) error {
	if n > max {
		return invalid("%s has %d entries, at most %d are allowed", name, n, max)
	}
	return nil
}
