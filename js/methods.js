// Generated from core/methods.go by `go generate ./core`; do not edit.
// Every method of the service: its parameters' names (the argument encoder and
// the error messages use them) and whether it only reads.
export const METHODS = Object.freeze({
  createConversation: Object.freeze({ params: Object.freeze(['conversationId']), query: false }),
  updateConversationLocalExtension: Object.freeze({ params: Object.freeze(['conversationId', 'localExtension']), query: false }),
  deleteConversation: Object.freeze({ params: Object.freeze(['conversationId', 'clearMessage']), query: false }),
  deleteConversationListByIds: Object.freeze({ params: Object.freeze(['conversationIds', 'clearMessage']), query: false }),
  stickTopConversation: Object.freeze({ params: Object.freeze(['conversationId', 'stickTop']), query: false }),
  getConversation: Object.freeze({ params: Object.freeze(['conversationId']), query: true }),
  getConversationList: Object.freeze({ params: Object.freeze(['offset', 'limit']), query: true }),
  getConversationListByIds: Object.freeze({ params: Object.freeze(['conversationIds']), query: true }),
  getConversationListByOption: Object.freeze({ params: Object.freeze(['offset', 'limit', 'option']), query: true }),
  getStickTopConversationList: Object.freeze({ params: Object.freeze([]), query: true }),
  getTotalUnreadCount: Object.freeze({ params: Object.freeze([]), query: true }),
  getUnreadCountByIds: Object.freeze({ params: Object.freeze(['conversationIds']), query: true }),
  getUnreadCountByFilter: Object.freeze({ params: Object.freeze(['filter']), query: true }),
  clearTotalUnreadCount: Object.freeze({ params: Object.freeze([]), query: false }),
  clearUnreadCountByIds: Object.freeze({ params: Object.freeze(['conversationIds']), query: false }),
  clearUnreadCountByTypes: Object.freeze({ params: Object.freeze(['conversationTypes']), query: false }),
  subscribeUnreadCountByFilter: Object.freeze({ params: Object.freeze(['filter']), query: false }),
  unsubscribeUnreadCountByFilter: Object.freeze({ params: Object.freeze(['filter']), query: false }),
  markConversationRead: Object.freeze({ params: Object.freeze(['conversationId']), query: false }),
  getConversationReadTime: Object.freeze({ params: Object.freeze(['conversationId']), query: true }),
  applyMessages: Object.freeze({ params: Object.freeze(['messages']), query: false }),
  revokeMessage: Object.freeze({ params: Object.freeze(['refer', 'revokeInfo']), query: false }),
  deleteMessages: Object.freeze({ params: Object.freeze(['refers']), query: false }),
  updateConversationInfo: Object.freeze({ params: Object.freeze(['conversationId', 'info']), query: false }),
  setCurrentConversation: Object.freeze({ params: Object.freeze(['conversationId']), query: false }),
  applyReadTime: Object.freeze({ params: Object.freeze(['conversationId', 'readTime']), query: false }),
  applyReadTimes: Object.freeze({ params: Object.freeze(['readTimes']), query: false }),
  applyClearHistory: Object.freeze({ params: Object.freeze(['conversationId', 'deleteTime']), query: false }),
  close: Object.freeze({ params: Object.freeze([]), query: false }),
});

// Where the module keeps the first page (core/firstpage.go) for the wrapper
// to serve before the module has loaded: with the storage that keeps it (the
// default), in a database named dbPrefix+accountId unless open() names one,
// its store, the keys of the page, of the change sequence it must match and
// of the account, and the page format.
export const FIRST_PAGE = Object.freeze({
  storage: 'indexeddb',
  dbPrefix: 'localconv-',
  store: 'meta',
  key: 'firstPage',
  seqKey: 'seq',
  accountKey: 'account',
  format: 1,
});
