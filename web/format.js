// Small, pure helpers for what the page displays. Everything here returns
// strings (or DOM nodes built with textContent), never markup.
import { ConversationIdUtil } from '/js/localconv.js';

export const TYPE_LABEL = { 1: 'P2P', 2: 'Team', 3: 'Super team' };

const nf = new Intl.NumberFormat('en-US');
export const num = (n) => nf.format(n);

/** The name to show: the host's name, else the target id. */
export function displayName(c) {
  if (c.name) return c.name;
  try {
    return ConversationIdUtil.parseConversationTargetId(c.conversationId);
  } catch {
    return c.conversationId;
  }
}

/** Up to two initials from a name; works with any script and with emoji. */
export function initials(name) {
  const words = String(name).trim().split(/[\s._\-]+/u).filter(Boolean);
  const first = (w) => Array.from(w)[0] ?? '';
  let s = words.length >= 2 ? first(words[0]) + first(words[1]) : Array.from(words[0] ?? '?').slice(0, 2).join('');
  return s.toLocaleUpperCase() || '?';
}

/** A stable palette slot (0..7) for an id. */
export function colorSlot(id) {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % 8;
}

const hm = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hour12: false });
const hms = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const wd = new Intl.DateTimeFormat('en-US', { weekday: 'short' });
const md = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', hour12: false });

/** A list-row time: 14:05, Yesterday, Tue, Mar 4, 2023-03-04. */
export function shortTime(ms, now = Date.now()) {
  if (!ms) return '';
  const d = new Date(ms);
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const day = 86400000;
  if (ms >= today.getTime()) return hm.format(d);
  if (ms >= today.getTime() - day) return 'Yesterday';
  if (ms >= today.getTime() - 6 * day) return wd.format(d);
  if (d.getFullYear() === today.getFullYear()) return md.format(d);
  return d.toISOString().slice(0, 10);
}

export const clock = (ms) => (ms ? hms.format(new Date(ms)) : '—');
export const longTime = (ms) => (ms ? full.format(new Date(ms)) : '—');

const KIND = {
  '-1': 'Invalid message', 1: 'Image', 2: 'Voice message', 3: 'Video', 4: 'Location', 5: 'Notification',
  6: 'File', 7: 'AV chat', 10: 'Tip', 11: 'Robot', 12: 'Call', 100: 'Custom message',
};

/** What a message is, for non-text messages: "[Image]", "[File] report.pdf". */
export function messageBody(m) {
  if (m.messageType === 0) return m.text ?? '';
  const kind = KIND[m.messageType] ?? `Message type ${m.messageType}`;
  const att = typeof m.attachment === 'object' && m.attachment ? m.attachment : null;
  const detail = att?.name ?? att?.title ?? m.text ?? '';
  return detail ? `[${kind}] ${detail}` : `[${kind}]`;
}

/**
 * The preview line of a conversation: {who, text, state}. `who` is "You",
 * the sender's name in a team, or ""; `state` is "revoked", "failed",
 * "sending" or "".
 */
export function preview(c, me) {
  const m = c.lastMessage;
  if (!m) return { who: '', text: 'No messages yet', state: 'empty' };
  const mine = m.messageRefer?.senderId === me;
  if (m.lastMessageState === 1) {
    const who = m.revokeAccountId === me || (mine && !m.revokeAccountId) ? 'You' : m.senderName || 'Someone';
    return { who: '', text: `${who} revoked a message`, state: 'revoked' };
  }
  const who = mine ? 'You' : c.type !== 1 ? m.senderName || m.messageRefer?.senderId || '' : '';
  const state = m.sendingState === 2 ? 'failed' : m.sendingState === 3 ? 'sending' : '';
  return { who, text: messageBody(m), state };
}

/** A short, single-line description of an event's detail for the log. */
export function describeEvent(type, detail, nameOf) {
  const clip = (s, n = 48) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  switch (type) {
    case 'conversationCreated':
      return clip(`${nameOf(detail)} · ${detail.conversationId}`, 80);
    case 'conversationChanged': {
      const names = detail.slice(0, 3).map((c) => `${nameOf(c)} (${c.unreadCount})`);
      const more = detail.length > 3 ? ` +${num(detail.length - 3)}` : '';
      return clip(`${detail.length}: ${names.join(', ')}${more}`, 90);
    }
    case 'conversationDeleted':
      return clip(`${detail.length}: ${detail.join(', ')}`, 90);
    case 'conversationReadTimeUpdated':
      return clip(`${detail.conversationId} → ${clock(detail.readTime)}`, 90);
    case 'totalUnreadCountChanged':
      return num(detail);
    case 'unreadCountChangedByFilter':
      return `${filterLabel(detail.filter)} → ${num(detail.unreadCount)}`;
    case 'syncFailed':
      return `${detail?.code ?? ''} ${detail?.message ?? ''}`.trim();
    default:
      return detail == null ? '' : clip(JSON.stringify(detail), 90);
  }
}

export function filterLabel(f) {
  const types = f.conversationTypes?.length ? f.conversationTypes.map((t) => TYPE_LABEL[t] ?? t).join('+') : 'all';
  return f.ignoreMuted ? `${types}, not muted` : types;
}

/** The same filter key the service uses: sorted types + ignoreMuted. */
export function filterKey(f) {
  const types = [...new Set(f.conversationTypes ?? [])].sort((a, b) => a - b);
  return `${types.join(',')}|${f.ignoreMuted === true}`;
}

/** An element with a class and text — the page's only way of putting data in the DOM. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Icons are fixed SVG paths built with the DOM API (no markup strings).
const ICONS = {
  pin: 'M16 3l5 5-3 1-4 4 1 5-2 2-4-4-5 5-1-1 5-5-4-4 2-2 5 1 4-4z',
  mute: 'M11 5L6 9H3v6h3l5 4V5zM16 9l5 6M21 9l-5 6',
  bell: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  search: 'M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14zM21 21l-5-5',
  close: 'M6 6l12 12M18 6L6 18',
  bolt: 'M13 2L4 14h7l-1 8 9-12h-7z',
  user: 'M12 12a4 4 0 1 0 0-8a4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  team: 'M9 11a3 3 0 1 0 0-6a3 3 0 0 0 0 6zM17 11a3 3 0 1 0 0-6M3 20a6 6 0 0 1 12 0M15 14a6 6 0 0 1 6 6',
  alert: 'M12 8v5M12 16.5v.5M12 3l10 18H2z',
  clock: 'M12 7v5l3 2M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z',
  send: 'M3 11l18-8-8 18-2-8z',
  chat: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5',
};

export function icon(name, className = 'icon') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}
