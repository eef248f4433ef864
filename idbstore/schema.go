package idbstore

// The layout, version 3: every name the store uses, beside what it holds.
//
//	conversations  key: id (the conversationId)
//	               value: {id, seq, sortOrder, rec, tail}; tombstones have no
//	               sortOrder; tail is what the conversation keeps of its
//	               messages (core.Tail), read only by Tails: every other read
//	               names the properties it takes (recordProps), so that a
//	               tail never crosses to Go unasked
//	               byChange:    seq              → ConversationsChangedSince,
//	                                               and Load's records written
//	                                               since the snapshot
//	               bySortOrder: [sortOrder, id]  → Load, top of the list first;
//	                            tombstones are not in it, so Load skips them
//	                            without reading them
//	spill          the messages a tail keeps apart (core.Tail.SpilledKeys)
//	               key: [conversationId, messageClientId]
//	               value: {conversationId, messageClientId, rec}
//	messages       version 2's messages, one value each, until they move
//	               into tails (legacy.go); nothing is written there any more
//	               key: [conversationId, messageClientId]
//	               value: {conversationId, messageClientId, createTime, rec}
//	meta           out-of-line keys (meta.go, snapshot.go):
//	               "seq" → the change sequence, a number
//	               "account" → the account the database belongs to
//	               "snapshot" → {seq, count, bytes or chunks}: every
//	                            conversation as of that change
//	               "readMarks" → the read marks, [type, seq, time, ...]
//	               "firstPage" → the top of the list as JSON, for the wrapper
//
// Version 1 had the same stores; its change index was named bySeq. Version
// 2 kept every message in the messages store, with a byTime index
// [conversationId, createTime] (migrate.go).
//
// rec is the record in the codec's bytes (codec.go) as a string of one
// character per byte (rectext.go); the other properties are plain so that
// keys and indexes work and DevTools shows which record is which.
const (
	storeConversations = "conversations"
	storeMessages      = "messages"
	storeSpill         = "spill"
	storeMeta          = "meta"

	indexChange    = "byChange"
	indexSortOrder = "bySortOrder"

	propTail = "tail"

	metaSeq       = "seq"
	metaAccount   = "account"
	metaSnapshot  = "snapshot"
	metaReadMarks = "readMarks"
	metaFirstPage = "firstPage"
)

// recordProps are the properties of a conversation value that reading its
// record needs (records.go).
var recordProps = []string{"id", "rec"}

// allStores is every transaction's scope: a call may touch any of them, and
// one scope for all keeps read-write transactions strictly one after another.
var allStores = []string{storeConversations, storeSpill, storeMessages, storeMeta}

// FirstPageLocation is where the first page is, for cmd/genmethods, which
// writes it into js/methods.js: the wrapper reads the page itself, before
// the module has loaded, so the names are written once, here. This file
// builds natively for that.
var FirstPageLocation = struct{ Store, Key, SeqKey, AccountKey string }{storeMeta, metaFirstPage, metaSeq, metaAccount}
