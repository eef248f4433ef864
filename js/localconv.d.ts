// Type declarations for localconv: the NetEase IM V2 LocalConversationService
// for the browser. See README.md for the rules behind each method.

export declare const ConversationType: Readonly<{ UNKNOWN: 0; P2P: 1; TEAM: 2; SUPER_TEAM: 3 }>;
export type ConversationType = 0 | 1 | 2 | 3;

export declare const ErrorCode: Readonly<{ INTERNAL: 190001; CLOSED: 190002; INVALID_PARAMETER: 191004 }>;
export type ErrorCode = 190001 | 190002 | 191004;

/** lastMessage.lastMessageState: as the message left it, revoked, or filled in by the client. */
export declare const LastMessageState: Readonly<{ DEFAULT: 0; REVOKED: 1; CLIENT_FILL: 2 }>;
export type LastMessageState = 0 | 1 | 2;
/** A message's sendingState, as the host app reports it. */
export declare const MessageSendingState: Readonly<{ UNKNOWN: 0; SUCCEEDED: 1; FAILED: 2; SENDING: 3 }>;
export type MessageSendingState = 0 | 1 | 2 | 3;
/** NIM's message types, for Message.messageType; other numbers are accepted and kept. */
export declare const MessageType: Readonly<{
  INVALID: -1; TEXT: 0; IMAGE: 1; AUDIO: 2; VIDEO: 3; LOCATION: 4; NOTIFICATION: 5; FILE: 6;
  AVCHAT: 7; TIPS: 10; ROBOT: 11; CALL: 12; CUSTOM: 100;
}>;
export type MessageType = -1 | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 10 | 11 | 12 | 100;

/** Every failure: 191004 invalid parameter, 190002 closed, 190001 storage failed (nothing changed). */
export declare class LocalConvError extends Error {
  readonly name: 'LocalConvError';
  readonly code: ErrorCode;
  constructor(code: number, message: string);
}

export interface MessageRefer {
  senderId: string;
  receiverId: string;
  messageClientId: string;
  messageServerId: string;
  conversationType: ConversationType;
  conversationId: string;
  createTime: number;
}

/** What a message says: applyMessages takes it, lastMessage shows it. */
export interface MessageContent {
  messageType: number;
  subType: number;
  /** 0 unknown, 1 succeeded, 2 failed, 3 sending */
  sendingState: 0 | 1 | 2 | 3;
  text: string;
  /** As the message carried it: an object or a string; absent when it had none. */
  attachment?: unknown;
  serverExtension: string;
  callbackExtension: string;
  /** In a lastMessage, absent when the sender is the opened account. */
  senderName?: string;
}

export interface LastMessage extends MessageContent {
  /** 0 default, 1 revoked, 2 client fill */
  lastMessageState: 0 | 1 | 2;
  messageRefer: MessageRefer;
  revokeAccountId: string;
  revokeType: number;
}

export interface Conversation {
  conversationId: string;
  type: ConversationType;
  name: string;
  avatar: string;
  mute: boolean;
  stickTop: boolean;
  localExtension: string;
  lastMessage: LastMessage | null;
  unreadCount: number;
  /** t + 1e15 when pinned, else t: the time of the last message, pin/unpin or creation. */
  sortOrder: number;
  createTime: number;
  updateTime: number;
}

export interface ConversationResult {
  /** Pass it to the next call; 0 when finished. */
  offset: number;
  finished: boolean;
  conversationList: Conversation[];
}

export interface OperationResult {
  conversationId: string;
  error?: { code: ErrorCode; message: string };
}

/** The types a conversation can have (UNKNOWN is never one). */
export type KnownConversationType = 1 | 2 | 3;

export interface ConversationFilter {
  conversationTypes?: KnownConversationType[];
  ignoreMuted?: boolean;
}

export interface ConversationOption {
  conversationTypes?: KnownConversationType[];
  onlyUnread?: boolean;
}

/**
 * A message the host app received, sent or synced: a MessageRefer's ids
 * (messageServerId and receiverId optional, conversationType taken from the
 * conversation id) and its content (messageType required).
 */
export interface Message
  extends Pick<MessageRefer, 'conversationId' | 'messageClientId' | 'senderId' | 'createTime'>,
    Partial<Pick<MessageRefer, 'messageServerId' | 'receiverId'>>,
    Partial<Omit<MessageContent, 'attachment'>> {
  messageType: number;
  attachment?: object | string;
  /**
   * When its content was last modified (NIM's V2NIMMessage.modifyTime), default 0.
   * Applied again with a later one, a known message's content is replaced.
   */
  modifyTime?: number;
  /** Default true. Also read from messageConfig.unreadEnabled. */
  unreadEnabled?: boolean;
  /** Default true. Also read from messageConfig.lastMessageUpdateEnabled. */
  lastMessageUpdateEnabled?: boolean;
  messageConfig?: { unreadEnabled?: boolean; lastMessageUpdateEnabled?: boolean };
}

/** Names a stored message; a full MessageRefer works too. */
export interface MessageKey {
  conversationId: string;
  messageClientId: string;
}

export interface RevokeInfo {
  revokeAccountId?: string;
  revokeType?: number;
  /** Replaces the revoked message's text in lastMessage (default ""); its attachment and extensions are dropped. */
  postscript?: string;
}

export interface ConversationInfo {
  name?: string;
  avatar?: string;
  mute?: boolean;
}

export interface ApplyResult {
  applied: number;
  duplicates: number;
}

export interface ReadTimeUpdate {
  conversationId: string;
  readTime: number;
}

export interface FilterUnreadCount {
  filter: { conversationTypes: ConversationType[]; ignoreMuted: boolean };
  unreadCount: number;
}

/**
 * The `detail` of each event the service dispatches. A call's events come in
 * this order, all before its Promise resolves; a call that changes nothing
 * emits none. Changes made in other tabs of the account arrive the same way.
 */
export interface LocalConversationEventMap {
  /** Loading the stored list began (during open()). */
  syncStarted: CustomEvent<null>;
  /** The whole stored list is loaded. */
  syncFinished: CustomEvent<null>;
  /**
   * The stored list could not be loaded, or later the database was lost
   * (another tab upgraded or deleted it, the browser closed it): a 190001 whose
   * message says which. The service keeps working in memory, storing nothing.
   */
  syncFailed: CustomEvent<LocalConvError>;
  /** A conversation was created (by createConversation or a first message). */
  conversationCreated: CustomEvent<Conversation>;
  /** The ids of conversations that were deleted. */
  conversationDeleted: CustomEvent<string[]>;
  /** The conversations that changed (and only those), as they are now. */
  conversationChanged: CustomEvent<Conversation[]>;
  /** A conversation's read time moved (marked read, cleared, applyReadTime or applyClearHistory). */
  conversationReadTimeUpdated: CustomEvent<ReadTimeUpdate>;
  /** The new total of unread messages. */
  totalUnreadCountChanged: CustomEvent<number>;
  /** The new count of a filter this service subscribed (subscribeUnreadCountByFilter). */
  unreadCountChangedByFilter: CustomEvent<FilterUnreadCount>;
}

/** The seed's listener names; each handler receives its event's detail. */
export interface LocalConversationListener {
  /** syncStarted: loading the stored list began. */
  onSyncStarted?(): void;
  /** syncFinished: the whole stored list is loaded. */
  onSyncFinished?(): void;
  /** syncFailed: the list could not be loaded or the database was lost; the service works in memory. */
  onSyncFailed?(error: LocalConvError): void;
  /** conversationCreated. */
  onConversationCreated?(conversation: Conversation): void;
  /** conversationDeleted: the deleted ids. */
  onConversationDeleted?(conversationIds: string[]): void;
  /** conversationChanged: only the conversations that changed. */
  onConversationChanged?(conversations: Conversation[]): void;
  /** totalUnreadCountChanged: the new total. */
  onTotalUnreadCountChanged?(unreadCount: number): void;
  /** unreadCountChangedByFilter: a subscribed filter's new count. */
  onUnreadCountChangedByFilter?(detail: FilterUnreadCount): void;
  /** conversationReadTimeUpdated: a conversation's new read time. */
  onConversationReadTimeUpdated?(detail: ReadTimeUpdate): void;
}

export interface Subscription {
  cancel(): void;
}

export interface OpenOptions {
  /** The opened account; non-empty, without '|'. */
  accountId: string;
  /** Default "localconv-" + accountId: one database per account. */
  dbName?: string;
  /** Default "indexeddb"; "memory" keeps nothing across reloads. */
  storage?: 'indexeddb' | 'memory';
  /**
   * Default: localconv.wasm next to localconv.js (bundlers that follow
   * new URL(…, import.meta.url) emit it; with esbuild, copy it beside the bundle).
   */
  wasmUrl?: string | URL;
  /** Default true: resolve once the stored list is loaded. false: once the first page can be served. */
  waitForSync?: boolean;
  /** Registered before the sync starts, so the first sync's events reach them. */
  listeners?: LocalConversationListener;
  /**
   * Where the module runs. 'page' (the default): in the calling context — a
   * page, a worker, an extension's service worker. 'worker': in a dedicated
   * Worker of this page, off its main thread. 'sharedWorker': in one
   * SharedWorker for every tab of the origin.
   */
  placement?: 'page' | 'worker' | 'sharedWorker';
  /**
   * Default: worker.js next to localconv.js, which Vite and webpack 5 bundle as
   * a worker. Give your own when the bundler does not (esbuild: build
   * localconv/worker.js as an entry of its own).
   */
  workerUrl?: string | URL;
}

/**
 * One account's local conversation list. Every method returns a Promise that
 * rejects with a LocalConvError: 191004 for an invalid parameter (the message
 * names it; nothing changed), 190002 once the service is closed, 190001 when
 * storage failed (the call changed nothing).
 */
export declare class LocalConversationService extends EventTarget {
  private constructor();
  /**
   * Opens the account's conversation list: loads the module (and, for the
   * worker placements, the worker), then the stored list. Resolves once it is
   * loaded (or, with waitForSync: false, once the first page can be served).
   * Rejects with 191004 for bad options (or 'sharedWorker' where there is no
   * SharedWorker), 190001 when the module or the worker cannot be loaded (the
   * message names the URL; see wasmUrl, workerUrl) or outside a browser.
   */
  static open(options: OpenOptions): Promise<LocalConversationService>;

  /**
   * Registers seed-style handlers (an object or a class instance with onXxx
   * methods); each receives its event's detail. Throws 191004 for an unknown
   * onXxx name or a handler that is not a function.
   */
  listen(handlers: LocalConversationListener): Subscription;

  /** Creates an empty conversation; an existing one is returned as is, with no event. 191004: a bad id or another account's. */
  createConversation(conversationId: string): Promise<Conversation>;
  /** Sets the app's own text on a conversation (at most 64 KiB UTF-8). 191004: unknown conversation, too long. */
  updateConversationLocalExtension(conversationId: string, localExtension: string): Promise<void>;
  /** Deletes a conversation; its messages never count again if it comes back. 191004: unknown conversation. */
  deleteConversation(conversationId: string, clearMessage?: boolean): Promise<void>;
  /** Deletes 1..100 conversations; a result each (an unknown id gets its error there, not a rejection). */
  deleteConversationListByIds(conversationIds: string[], clearMessage?: boolean): Promise<OperationResult[]>;
  /** Pins or unpins a conversation (sortOrder + 1e15). 191004: unknown conversation, more than 100 pinned. */
  stickTopConversation(conversationId: string, stickTop: boolean): Promise<void>;
  /** One conversation. 191004: unknown conversation or a bad id. */
  getConversation(conversationId: string): Promise<Conversation>;
  /** A page of the list, pinned first then newest first; pass the returned offset back for the next page (0 starts). */
  getConversationList(offset: number, limit: number): Promise<ConversationResult>;
  /** The conversations of these ids, in input order; unknown ids are skipped. */
  getConversationListByIds(conversationIds: string[]): Promise<Conversation[]>;
  /** A page of the conversations of some types, or only those with unread; paged as getConversationList. */
  getConversationListByOption(offset: number, limit: number, option?: ConversationOption): Promise<ConversationResult>;
  /** The pinned conversations, in list order. */
  getStickTopConversationList(): Promise<Conversation[]>;

  /** The unread messages of every conversation. */
  getTotalUnreadCount(): Promise<number>;
  /** The unread messages of these conversations (unknown ids count 0). */
  getUnreadCountByIds(conversationIds: string[]): Promise<number>;
  /** The unread messages of the conversations of some types, optionally leaving muted ones out. */
  getUnreadCountByFilter(filter: ConversationFilter): Promise<number>;
  /** Marks every conversation read (moves the read time of those with unread). */
  clearTotalUnreadCount(): Promise<void>;
  /** Marks 1..10 conversations read; a result each. */
  clearUnreadCountByIds(conversationIds: string[]): Promise<OperationResult[]>;
  /** Marks every conversation of these types read. 191004: an unknown type. */
  clearUnreadCountByTypes(conversationTypes: KnownConversationType[]): Promise<void>;
  /** unreadCountChangedByFilter events for this filter from now on, the current count at once. */
  subscribeUnreadCountByFilter(filter: ConversationFilter): Promise<void>;
  /** Stops the events of a subscribed filter (one not subscribed: nothing to do). 191004: a malformed filter. */
  unsubscribeUnreadCountByFilter(filter: ConversationFilter): Promise<void>;
  /** Marks a conversation read now; resolves with its new read time. 191004: unknown conversation. */
  markConversationRead(conversationId: string): Promise<number>;
  /** A conversation's read time; 0 when never marked. */
  getConversationReadTime(conversationId: string): Promise<number>;

  /**
   * Stores messages the app received, sent or synced, creating and updating
   * their conversations (lastMessage, unread). Idempotent by conversationId +
   * messageClientId: a message seen before counts as a duplicate. 191004: a bad
   * message (the message names it and the field); nothing of the call is stored.
   */
  applyMessages(messages: Message[]): Promise<ApplyResult>;
  /** Marks a stored message revoked: it no longer counts as unread; as lastMessage its text becomes the postscript. 191004: unknown message. */
  revokeMessage(refer: MessageKey, revokeInfo?: RevokeInfo): Promise<void>;
  /** Deletes stored messages: they no longer count, and lastMessage falls back to the newest remaining. */
  deleteMessages(refers: MessageKey[]): Promise<void>;
  /** Sets a conversation's display name, avatar or mute from your user or team data. 191004: unknown conversation. */
  updateConversationInfo(conversationId: string, info: ConversationInfo): Promise<void>;
  /**
   * The conversation on screen: it takes no unread (its messages are marked
   * read as they come). null (or nothing) for no conversation on screen.
   */
  setCurrentConversation(conversationId?: string | null): Promise<void>;
  /** A read time from the server or another device; one not newer than stored changes nothing. 191004: unknown conversation, a bad time. */
  applyReadTime(conversationId: string, readTime: number): Promise<void>;
  /**
   * applyReadTime for many conversations in one call and one transaction (a
   * login sync's read times); conversations not in the list are skipped.
   */
  applyReadTimes(readTimes: { conversationId: string; readTime: number }[]): Promise<void>;
  /**
   * The host's clear-history notification (NIM's onClearHistoryNotifications): every message created at or
   * before deleteTime is gone for good (applied again, it is a duplicate); unread counts only later ones;
   * a lastMessage at or before it becomes null; the conversation moves up to deleteTime. A conversation not
   * in the list is no error: nothing visible changes. 191004: a bad id or time.
   */
  applyClearHistory(conversationId: string, deleteTime: number): Promise<void>;
  /** Flushes, closes the database and stops the service; later calls reject with 190002. */
  close(): Promise<void>;

  /** Listens to one of the service's events (see LocalConversationEventMap for each detail). */
  addEventListener<K extends keyof LocalConversationEventMap>(
    type: K, listener: (event: LocalConversationEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Removes a listener added with addEventListener. */
  removeEventListener<K extends keyof LocalConversationEventMap>(
    type: K, listener: (event: LocalConversationEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** Builds and parses `accountId|type|targetId` synchronously; bad input throws LocalConvError 191004. */
export declare class ConversationIdUtil {
  /** `accountId|1|targetId`. */
  static p2pConversationId(accountId: string, targetId: string): string;
  /** `accountId|2|teamId`. */
  static teamConversationId(accountId: string, teamId: string): string;
  /** `accountId|3|superTeamId`. */
  static superTeamConversationId(accountId: string, superTeamId: string): string;
  /** The type part of an id; 191004 for a malformed id. */
  static parseConversationType(conversationId: string): ConversationType;
  /** The target part of an id (after the second '|'); 191004 for a malformed id. */
  static parseConversationTargetId(conversationId: string): string;
}
