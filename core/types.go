package core

// RawJSON is JSON text kept as given (a message's attachment). Being a string,
// it keeps the structs that hold it comparable.
type RawJSON string

// MarshalJSON writes the text as it is.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if r == "" {
		return []byte("null"), nil
	}
	return []byte(r), nil
}

// Conversation is what every API and event returns (docs/api.md §1).
type Conversation struct {
	ConversationID string           `json:"conversationId"`
	Type           ConversationType `json:"type"`
	Name           string           `json:"name"`
	Avatar         string           `json:"avatar"`
	Mute           bool             `json:"mute"`
	StickTop       bool             `json:"stickTop"`
	LocalExtension string           `json:"localExtension"`
	LastMessage    *LastMessage     `json:"lastMessage"`
	UnreadCount    int              `json:"unreadCount"`
	SortOrder      int64            `json:"sortOrder"`
	CreateTime     int64            `json:"createTime"`
	UpdateTime     int64            `json:"updateTime"`
}

// pinBoost lifts pinned conversations above every unpinned one in sortOrder.
const pinBoost = int64(1e15)

func (c *Conversation) setSortTime(t int64) {
	c.SortOrder = t
	if c.StickTop {
		c.SortOrder += pinBoost
	}
}

// sortTime is the contract's t of sortOrder: sortOrder without the pin's boost.
func (c *Conversation) sortTime() int64 {
	if c.StickTop {
		return c.SortOrder - pinBoost
	}
	return c.SortOrder
}

// sameContent reports whether two conversations look the same to the app,
// updateTime aside (updateTime moves only when something else does).
func (c *Conversation) sameContent(o *Conversation) bool {
	a, b := *c, *o
	a.UpdateTime, b.UpdateTime = 0, 0
	a.LastMessage, b.LastMessage = nil, nil
	return a == b && c.LastMessage.equal(o.LastMessage)
}

// Sending states (docs/api.md §1), as the host app reports them.
const (
	SendingStateUnknown   = 0
	SendingStateSucceeded = 1
	SendingStateFailed    = 2
	SendingStateSending   = 3
)

// Last message states.
const (
	LastMessageStateDefault    = 0
	LastMessageStateRevoked    = 1
	LastMessageStateClientFill = 2
)

// LastMessage is docs/api.md §1's LastMessage: what a conversation shows of
// its newest message.
type LastMessage struct {
	LastMessageState int          `json:"lastMessageState"`
	MessageRefer     MessageRefer `json:"messageRefer"`
	MessageContent
	RevokeAccountID string `json:"revokeAccountId"`
	RevokeType      int    `json:"revokeType"`
}

// MessageContent is what a message says. Its fields travel unchanged from
// applyMessages' input (Message) to the stored record (MessageRecord) to a
// conversation's lastMessage (LastMessage), which all embed it: a field is
// added here once. The JSON reader (args.go), the JSON writer (jsonenc.go)
// and the store's codec each name every field, and their tests fill every
// field by reflection, so a field one of them forgets fails a test.
type MessageContent struct {
	MessageType       int     `json:"messageType"`
	SubType           int     `json:"subType"`
	SendingState      int     `json:"sendingState"`
	Text              string  `json:"text"`
	Attachment        RawJSON `json:"attachment,omitempty"`
	ServerExtension   string  `json:"serverExtension"`
	CallbackExtension string  `json:"callbackExtension"`
	SenderName        string  `json:"senderName,omitempty"`
}

func (m *LastMessage) equal(o *LastMessage) bool {
	if m == nil || o == nil {
		return m == o
	}
	return *m == *o
}

// MessageRefer names a message (docs/api.md §1). Message and MessageRecord
// embed it: a message's identity is written once, here.
type MessageRefer struct {
	SenderID         string           `json:"senderId"`
	ReceiverID       string           `json:"receiverId"`
	MessageClientID  string           `json:"messageClientId"`
	MessageServerID  string           `json:"messageServerId"`
	ConversationType ConversationType `json:"conversationType"`
	ConversationID   string           `json:"conversationId"`
	CreateTime       int64            `json:"createTime"`
}

// Message is what the host app feeds to ApplyMessages (docs/api.md §2).
// Its ConversationType is not read from the input: it is the one the
// conversation id names, filled when the message is validated.
type Message struct {
	MessageRefer
	MessageContent
	// ModifyTime is when the message's content was last modified (the NIM
	// SDK's V2NIMMessage.modifyTime), 0 if never: a version applied again
	// with a later one replaces the stored content (MessageRecord.updatedBy).
	// A lastMessage does not show it, as NIM's V2NIMLastMessage does not.
	ModifyTime               int64 `json:"modifyTime"`
	UnreadEnabled            bool  `json:"unreadEnabled"`
	LastMessageUpdateEnabled bool  `json:"lastMessageUpdateEnabled"`
}

// MessageKey names a stored message: conversationId + messageClientId.
type MessageKey struct {
	ConversationID  string
	MessageClientID string
}

// RevokeInfo is revokeMessage's second parameter. Postscript replaces the
// revoked message's text (as the NIM SDK shows a revoke's postscript).
type RevokeInfo struct {
	RevokeAccountID string
	RevokeType      int
	Postscript      string
}

// Filter selects conversations for unread counts (docs/api.md §1). It is kept
// normalized: types sorted and unique.
type Filter struct {
	ConversationTypes []ConversationType `json:"conversationTypes"`
	IgnoreMuted       bool               `json:"ignoreMuted"`
}

// ConversationInfo is updateConversationInfo's second parameter; nil fields are left alone.
type ConversationInfo struct {
	Name   *string
	Avatar *string
	Mute   *bool
}

// Option selects conversations for getConversationListByOption; empty means all.
type Option struct {
	ConversationTypes []ConversationType `json:"conversationTypes"`
	OnlyUnread        bool               `json:"onlyUnread"`
}

// ConversationResult is one page of a conversation list.
type ConversationResult struct {
	Offset           float64        `json:"offset"`
	Finished         bool           `json:"finished"`
	ConversationList []Conversation `json:"conversationList"`
}

// OperationResult is the per-id outcome of a batch call.
type OperationResult struct {
	ConversationID string `json:"conversationId"`
	Error          *Error `json:"error,omitempty"`
}

// ApplyResult is applyMessages' result.
type ApplyResult struct {
	Applied    int `json:"applied"`
	Duplicates int `json:"duplicates"`
}
