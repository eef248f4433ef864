package core

import "fmt"

// Limits (SPEC §2; README "Limits").
const (
	MaxDeleteIDs           = 100         // deleteConversationListByIds
	MaxClearIDs            = 10          // clearUnreadCountByIds
	MaxPinned              = 100         // pinned conversations
	MaxLocalExtensionBytes = 64 << 10    // localExtension, UTF-8
	MaxListLength          = 10000       // any other list parameter
	MaxTime                = int64(1e15) // times are below it, so pinned ones sort first
)

func checkTime(name string, t int64) error {
	if t < 0 || t >= MaxTime {
		return invalid("%s must be a time in milliseconds in [0, 1e15), got %d", name, t)
	}
	return nil
}

// checkTypes validates conversation types; required means at least one.
func checkTypes(name string, types []ConversationType, required bool) error {
	if required && len(types) == 0 {
		return invalid("%s must not be empty", name)
	}
	if len(types) > MaxListLength {
		return invalid("%s has %d entries, at most %d are allowed", name, len(types), MaxListLength)
	}
	for i, t := range types {
		if !t.valid() {
			return invalid("%s[%d] must be a conversation type 1, 2 or 3, got %d", name, i, t)
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

// Message types and sending states a message may carry (SPEC §1).
var messageTypes = map[int]bool{-1: true, 0: true, 1: true, 2: true, 3: true, 4: true, 5: true,
	6: true, 7: true, 10: true, 11: true, 12: true, 100: true}

const maxSendingState = 3

// checkMessage validates one message of applyMessages, named name in errors,
// and returns its conversation id parsed.
func (s *Service) checkMessage(name string, m *Message) (ConversationID, error) {
	cid, err := s.checkID(name+".conversationId", m.ConversationID)
	if err != nil {
		return cid, err
	}
	if m.MessageClientID == "" {
		return cid, invalid("%s.messageClientId must not be empty", name)
	}
	if m.SenderID == "" {
		return cid, invalid("%s.senderId must not be empty", name)
	}
	if err := checkTime(name+".createTime", m.CreateTime); err != nil {
		return cid, err
	}
	if !messageTypes[m.MessageType] {
		return cid, invalid("%s.messageType %d is not a known message type", name, m.MessageType)
	}
	if m.SendingState < 0 || m.SendingState > maxSendingState {
		return cid, invalid("%s.sendingState must be 0..3, got %d", name, m.SendingState)
	}
	if cid.Type == TypeP2P {
		mine := m.SenderID == s.account
		if !mine && m.SenderID != cid.TargetID {
			return cid, invalid("%s.senderId %q is neither the opened account nor the peer %q of P2P conversation %q",
				name, m.SenderID, cid.TargetID, m.ConversationID)
		}
		want := s.account
		if mine {
			want = cid.TargetID
		}
		if m.ReceiverID != "" && m.ReceiverID != want {
			return cid, invalid("%s.receiverId must be %q in P2P conversation %q, got %q", name, want, m.ConversationID, m.ReceiverID)
		}
	}
	return cid, nil
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
