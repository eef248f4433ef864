package idbstore

// The layout, version 2: every name the store uses, beside what it holds.
//
//	conversations  key: id (the conversationId)
//	               value: {id, seq, sortOrder, rec}; tombstones have no sortOrder
//	               byChange:    seq              → ConversationsChangedSince,
//	                                               and Load's records written
//	                                               since the snapshot
//	               bySortOrder: [sortOrder, id]  → Load, top of the list first;
//	                            tombstones are not in it, so Load skips them
//	                            without reading them
//	messages       key: [conversationId, messageClientId]
//	               value: {conversationId, messageClientId, createTime, rec}
//	               byTime: [conversationId, createTime] → MessagesAfter, and
//	                       NewestMessages read backwards (ties go by the primary
//	                       key, so by messageClientId)
//	meta           out-of-line keys (meta.go, snapshot.go):
//	               "seq" → the change sequence, a number
//	               "account" → the account the database belongs to
//	               "snapshot" → {seq, count, bytes or chunks}: every
//	                            conversation as of that change
//	               "readMarks" → the read marks, [type, seq, time, ...]
//	               "firstPage" → the top of the list as JSON, for the wrapper
//
// Version 1 had the same stores; its change index was named bySeq
// (migrate.go).
//
// rec is the record in the codec's bytes (codec.go) as a string of one
// character per byte (rectext.go); the other properties are plain so that
// keys and indexes work and DevTools shows which record is which.
const (
	storeConversations = "conversations"
	storeMessages      = "messages"
	storeMeta          = "meta"

	indexChange    = "byChange"
	indexSortOrder = "bySortOrder"
	indexTime      = "byTime"

	metaSeq       = "seq"
	metaAccount   = "account"
	metaSnapshot  = "snapshot"
	metaReadMarks = "readMarks"
	metaFirstPage = "firstPage"
)

// allStores is every transaction's scope: a call may touch any of them, and
// one scope for all keeps read-write transactions strictly one after another.
var allStores = []string{storeConversations, storeMessages, storeMeta}

// FirstPageLocation is where the first page is, for cmd/genmethods, which
// writes it into js/methods.js: the wrapper reads the page itself, before
// the module has loaded, so the names are written once, here. This file
// builds natively for that.
var FirstPageLocation = struct{ Store, Key, SeqKey, AccountKey string }{storeMeta, metaFirstPage, metaSeq, metaAccount}
