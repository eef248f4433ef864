// How what nim-web-sdk-ng delivers becomes what the module takes: its
// V2NIMMessage as a host-feed message, and a conversation's display info from
// what the SDK has told about users, friends and teams. Shapes only; the
// rules of the list stay in the module (docs/api.md).

import { MessageType } from './localconv.js';

const KNOWN_TYPES = new Set(Object.values(MessageType));
const TEAM_TYPE_SUPER = 2; // V2NIMTeamType: 1 advanced, 2 super
const NOTIFICATION = 5;

/**
 * The host-feed message of an SDK message, with lastMessage's senderName as
 * the caller computed it (DisplayInfo.senderName). The login sync's read
 * times are applied on top by the bridge (nim-attach.js, applyOps).
 */
export function toMessage(m, senderName) {
  const out = {
    conversationId: m.conversationId,
    messageClientId: m.messageClientId,
    senderId: m.senderId,
    createTime: m.createTime,
    // A type newer than this module knows still counts and shows, as "invalid".
    messageType: KNOWN_TYPES.has(m.messageType) ? m.messageType : MessageType.INVALID,
    // The SDK's unread rule (isMessageUnread): unreadEnabled, and a message
    // that was delivered (errorCode 200).
    unreadEnabled: m.messageConfig?.unreadEnabled !== false && (m.messageStatus?.errorCode ?? 200) === 200,
    lastMessageUpdateEnabled: m.messageConfig?.lastMessageUpdateEnabled !== false,
  };
  copy(out, m, 'messageServerId', isString, (v) => v !== '');
  copy(out, m, 'receiverId', isString, (v) => v !== '');
  copy(out, m, 'subType', Number.isSafeInteger);
  copy(out, m, 'text', isString);
  copy(out, m, 'serverExtension', isString);
  copy(out, m, 'callbackExtension', isString);
  copy(out, m, 'sendingState', (v) => Number.isInteger(v) && v >= 0 && v <= 3);
  copy(out, m, 'modifyTime', (v) => Number.isFinite(v) && v > 0);
  if (m.attachment !== null && typeof m.attachment === 'object') out.attachment = m.attachment;
  if (senderName) out.senderName = senderName;
  return out;
}

const isString = (v) => typeof v === 'string';

function copy(out, m, key, ok, keep = () => true) {
  const v = m[key];
  if (v !== undefined && v !== null && ok(v) && keep(v)) out[key] = v;
}

/** A message refer as the module takes it. */
export const toRefer = (r) => ({ conversationId: r.conversationId, messageClientId: r.messageClientId });

/** The team conversation id of a V2NIMTeam. */
export function teamConversationId(account, team) {
  return `${account}|${team.teamType === TEAM_TYPE_SUPER ? 3 : 2}|${team.teamId}`;
}

/**
 * What the bridge has learnt of users, friends and teams from the SDK's
 * events, and the display info it makes of them, by the SDK's own rule
 * (computeFromExternal): a P2P conversation is named by the friend alias,
 * else the user's name, else the sender's nick, else the account; a team by
 * its name, else its id.
 */
export class DisplayInfo {
  users = new Map(); // accountId → {name, avatar}
  aliases = new Map(); // accountId → alias
  nicks = new Map(); // accountId → the sender nick seen last
  teams = new Map(); // teamId → {name, avatar}

  user(u) {
    if (u && typeof u.accountId === 'string') this.users.set(u.accountId, { name: str(u.name), avatar: str(u.avatar) });
  }

  friend(f) {
    if (f && typeof f.accountId === 'string') {
      if (str(f.alias)) this.aliases.set(f.accountId, f.alias);
      else this.aliases.delete(f.accountId);
      if (f.userProfile) this.user(f.userProfile);
    }
  }

  /** Remembers the sender's nick a message carries (the SDK's fromNick). */
  seen(m) {
    if (typeof m.fromNick === 'string' && m.fromNick !== '') this.nicks.set(m.senderId, m.fromNick);
  }

  /** lastMessage.senderName by the SDK's rule: the alias, else the nick; none for me or a notification. */
  senderName(m, me) {
    if (m.senderId === me || m.messageType === NOTIFICATION) return undefined;
    return this.aliases.get(m.senderId) || (typeof m.fromNick === 'string' && m.fromNick) || undefined;
  }

  team(t) {
    if (t && typeof t.teamId === 'string') this.teams.set(t.teamId, { name: str(t.name), avatar: str(t.avatar) });
  }

  /**
   * The info a conversation should keep, from what the SDK told of its
   * user (alias, profile) or team: {name, avatar}, "" where it told nothing.
   */
  of(conversationId) {
    return this.known(conversationId) ?? { name: '', avatar: '' };
  }

  /** As of(), or undefined when the SDK told nothing of that user or team. */
  known(conversationId) {
    const { type, target } = split(conversationId);
    if (type === '1') {
      const user = this.users.get(target);
      const alias = this.aliases.get(target);
      if (!user && !alias) return undefined;
      return { name: alias || user?.name || '', avatar: user?.avatar || '' };
    }
    const team = this.teams.get(target);
    return team && { name: team.name, avatar: team.avatar };
  }

  /** The name shown where none is kept: the sender's nick, else the account; a team's id. */
  fallback(conversationId, senderName) {
    const { type, target } = split(conversationId);
    if (type === '1') return this.nicks.get(target) || senderName || target;
    return target;
  }
}

function split(conversationId) {
  const [, type, ...rest] = conversationId.split('|');
  return { type, target: rest.join('|') };
}

const str = (v) => (typeof v === 'string' ? v : '');
