// The baseline's own handling of a message, shared by bench/page.js and
// bench/nim-page.js: what a developer keeping plain conversation objects
// writes by hand (the contract's rules for lastMessage, unread and sortOrder).
import * as data from './data.js';

export function plainLastMessage(m, type) {
  const mine = m.senderId === data.ACCOUNT;
  const lm = {
    lastMessageState: 0,
    messageRefer: {
      senderId: m.senderId,
      receiverId: m.receiverId ?? (type === data.P2P && !mine ? data.ACCOUNT : m.conversationId.split('|').slice(2).join('|')),
      messageClientId: m.messageClientId,
      messageServerId: m.messageServerId ?? '',
      conversationType: type,
      conversationId: m.conversationId,
      createTime: m.createTime,
    },
    messageType: m.messageType,
    subType: m.subType ?? 0,
    sendingState: m.sendingState ?? 0,
    text: m.text ?? '',
    revokeAccountId: '',
    revokeType: 0,
    serverExtension: m.serverExtension ?? '',
    callbackExtension: m.callbackExtension ?? '',
  };
  if (!mine && m.senderName !== undefined) lm.senderName = m.senderName;
  return lm;
}

export function plainApply(map, m, t) {
  let c = map.get(m.conversationId);
  const type = Number(m.conversationId.split('|')[1]);
  if (!c) {
    c = {
      conversationId: m.conversationId, type, name: '', avatar: '', mute: false, stickTop: false,
      localExtension: '', lastMessage: null, unreadCount: 0, sortOrder: m.createTime,
      createTime: t, updateTime: t,
    };
    map.set(m.conversationId, c);
  }
  const last = c.lastMessage?.messageRefer;
  if (!last || m.createTime > last.createTime || (m.createTime === last.createTime && m.messageClientId > last.messageClientId)) {
    c.lastMessage = plainLastMessage(m, type);
    c.sortOrder = m.createTime + (c.stickTop ? 1e15 : 0);
  }
  if (m.senderId !== data.ACCOUNT) c.unreadCount++;
  c.updateTime = t;
  return c;
}
