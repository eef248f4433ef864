package core

import "strings"

// ConversationType is docs/api.md §1's ConversationType.
type ConversationType int

const (
	TypeUnknown       ConversationType = 0
	TypeP2P           ConversationType = 1
	TypeTeam          ConversationType = 2
	TypeSuperTeam     ConversationType = 3
	conversationTypes                  = 3
)

func (t ConversationType) valid() bool { return t >= TypeP2P && t <= TypeSuperTeam }

// ConversationID is a parsed `accountId|type|targetId`.
type ConversationID struct {
	AccountID string
	Type      ConversationType
	TargetID  string
}

func (c ConversationID) String() string {
	return c.AccountID + "|" + string(rune('0'+c.Type)) + "|" + c.TargetID
}

// ParseConversationID splits an id without checking whose it is. The target id
// is everything after the second '|' and may itself contain '|'.
func ParseConversationID(id string) (ConversationID, error) {
	acc, rest, ok := strings.Cut(id, "|")
	if !ok || acc == "" {
		return ConversationID{}, invalid("conversationId %q is not of the form accountId|type|targetId", id)
	}
	typ, target, ok := strings.Cut(rest, "|")
	if !ok || len(typ) != 1 || typ[0] < '1' || typ[0] > '3' {
		return ConversationID{}, invalid("conversationId %q has no conversation type 1, 2 or 3", id)
	}
	if target == "" {
		return ConversationID{}, invalid("conversationId %q has an empty targetId", id)
	}
	return ConversationID{AccountID: acc, Type: ConversationType(typ[0] - '0'), TargetID: target}, nil
}

// BuildConversationID is ConversationIdUtil's p2p/team/superTeam constructor.
func BuildConversationID(accountID string, typ ConversationType, targetID string) (string, error) {
	if err := checkAccountID("accountId", accountID); err != nil {
		return "", err
	}
	if !typ.valid() {
		return "", invalid("conversation type %d is not 1, 2 or 3", typ)
	}
	if targetID == "" {
		return "", invalid("targetId must not be empty")
	}
	return ConversationID{accountID, typ, targetID}.String(), nil
}

func checkAccountID(name, accountID string) error {
	if accountID == "" {
		return invalid("%s must not be empty", name)
	}
	if strings.Contains(accountID, "|") {
		return invalid("%s %q must not contain '|'", name, accountID)
	}
	return nil
}

// CheckAccountID validates the accountId given to open().
func CheckAccountID(accountID string) error { return checkAccountID("accountId", accountID) }
