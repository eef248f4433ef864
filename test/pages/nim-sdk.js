// What test/nim-attach.test.mjs does in a page that loaded nim-web-sdk-ng
// (nim-sdk.html, nim-sdk-next.html): a real SDK instance, created offline,
// and the events a login and a conversation produce, emitted on the SDK's own
// services in the SDK's order (docs/nim.md, "The SDK's events"). Nothing
// here replaces a part of the SDK: the instance, its services, its message
// creator and its event emitters are the SDK's.

/** The page's SDK instance (one per page: getInstance keeps it). */
export function sdkInstance() {
  const NIM = globalThis.NIM.default;
  return NIM.getInstance({ appkey: 'localconv-test', apiVersion: 'v2', debugLevel: 'off' });
}

/** A message as the SDK delivers it: made by its V2NIMMessageCreator, then addressed. */
export function message(nim, { conversationId, senderId, receiverId, createTime, text = 'hi', clientId, ...rest }) {
  const m = nim.V2NIMMessageCreator.createTextMessage(text);
  const [me, type, target] = conversationId.split('|');
  return Object.assign(m, {
    conversationId,
    conversationType: Number(type),
    messageClientId: clientId ?? `c-${Math.random().toString(36).slice(2)}`,
    messageServerId: String(Math.floor(Math.random() * 1e12)),
    senderId,
    receiverId: receiverId ?? (type === '1' ? (senderId === me ? target : me) : target),
    isSelf: senderId === me,
    createTime,
    sendingState: senderId === me ? 1 : 0,
    messageStatus: { errorCode: 200 },
  }, rest);
}

/** The SDK's login, as its login service tells it: the account, LOGINED, then the main sync starting. */
export function login(nim, account) {
  const ls = nim.V2NIMLoginService;
  ls.account = account;
  ls.emit('onLoginStatus', 1);
  ls.emit('onDataSync', 1, 2);
}

/** The end of the SDK's main sync. */
export function syncDone(nim, error) {
  if (error) nim.V2NIMLoginService.emit('onDataSync', 1, 3, error);
  else nim.V2NIMLoginService.emit('onDataSync', 1, 3);
}

/** Logout: LOGOUT, and the SDK forgets the account. */
export function logout(nim) {
  const ls = nim.V2NIMLoginService;
  ls.emit('onLoginStatus', 0);
  ls.account = '';
}
