// Type declarations for localconv: the NetEase IM V2 LocalConversationService
// for the browser. See README.md for the rules behind each method.

export declare const ConversationType: Readonly<{ UNKNOWN: 0; P2P: 1; TEAM: 2; SUPER_TEAM: 3 }>;
export type ConversationType = 0 | 1 | 2 | 3;

export declare const ErrorCode: Readonly<{ INTERNAL: 190001; CLOSED: 190002; INVALID_PARAMETER: 191004 }>;
export type ErrorCode = 190001 | 190002 | 191004;

export declare const LastMessageState: Readonly<{ DEFAULT: 0; REVOKED: 1; CLIENT_FILL: 2 }>;
export declare const MessageSendingState: Readonly<{ UNKNOWN: 0; SUCCEEDED: 1; FAILED: 2; SENDING: 3 }>;
export declare const MessageType: Readonly<{
  INVALID: -1; TEXT: 0; IMAGE: 1; AUDIO: 2; VIDEO: 3; LOCATION: 4; NOTIFICATION: 5; FILE: 6;
  AVCHAT: 7; TIPS: 10; ROBOT: 11; CALL: 12; CUSTOM: 100;
}>;

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

export interface LastMessage {
  /** 0 default, 1 revoked, 2 client fill */
  lastMessageState: 0 | 1 | 2;
  messageRefer: MessageRefer;
  messageType: number;
  subType: number;
  /** 0 unknown, 1 succeeded, 2 failed, 3 sending */
  sendingState: 0 | 1 | 2 | 3;
  text: string;
  /** As the message carried it: an object or a string; absent when it had none. */
  attachment?: unknown;
  revokeAccountId: string;
  revokeType: number;
  serverExtension: string;
  callbackExtension: string;
  /** Absent when the sender is the opened account. */
  senderName?: string;
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

/** A message the host app received, sent or synced. */
export interface Message {
  conversationId: string;
  messageClientId: string;
  messageServerId?: string;
  senderId: string;
  receiverId?: string;
  createTime: number;
  messageType: number;
  subType?: number;
  text?: string;
  attachment?: object | string;
  serverExtension?: string;
  callbackExtension?: string;
  senderName?: string;
  sendingState?: 0 | 1 | 2 | 3;
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

/** The `detail` of each event the service dispatches. */
export interface LocalConversationEventMap {
  syncStarted: CustomEvent<null>;
  syncFinished: CustomEvent<null>;
  syncFailed: CustomEvent<LocalConvError>;
  conversationCreated: CustomEvent<Conversation>;
  conversationDeleted: CustomEvent<string[]>;
  conversationChanged: CustomEvent<Conversation[]>;
  conversationReadTimeUpdated: CustomEvent<ReadTimeUpdate>;
  totalUnreadCountChanged: CustomEvent<number>;
  unreadCountChangedByFilter: CustomEvent<FilterUnreadCount>;
}

/** The seed's listener names; each handler receives its event's detail. */
export interface LocalConversationListener {
  onSyncStarted?(): void;
  onSyncFinished?(): void;
  onSyncFailed?(error: LocalConvError): void;
  onConversationCreated?(conversation: Conversation): void;
  onConversationDeleted?(conversationIds: string[]): void;
  onConversationChanged?(conversations: Conversation[]): void;
  onTotalUnreadCountChanged?(unreadCount: number): void;
  onUnreadCountChangedByFilter?(detail: FilterUnreadCount): void;
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
  /** Default: localconv.wasm next to localconv.js. */
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
  /** Default: worker.js next to localconv.js. */
  workerUrl?: string | URL;
}

export declare class LocalConversationService extends EventTarget {
  private constructor();
  static open(options: OpenOptions): Promise<LocalConversationService>;

  listen(handlers: LocalConversationListener): Subscription;

  createConversation(conversationId: string): Promise<Conversation>;
  updateConversationLocalExtension(conversationId: string, localExtension: string): Promise<void>;
  deleteConversation(conversationId: string, clearMessage?: boolean): Promise<void>;
  deleteConversationListByIds(conversationIds: string[], clearMessage?: boolean): Promise<OperationResult[]>;
  stickTopConversation(conversationId: string, stickTop: boolean): Promise<void>;
  getConversation(conversationId: string): Promise<Conversation>;
  getConversationList(offset: number, limit: number): Promise<ConversationResult>;
  getConversationListByIds(conversationIds: string[]): Promise<Conversation[]>;
  getConversationListByOption(offset: number, limit: number, option?: ConversationOption): Promise<ConversationResult>;
  getStickTopConversationList(): Promise<Conversation[]>;

  getTotalUnreadCount(): Promise<number>;
  getUnreadCountByIds(conversationIds: string[]): Promise<number>;
  getUnreadCountByFilter(filter: ConversationFilter): Promise<number>;
  clearTotalUnreadCount(): Promise<void>;
  clearUnreadCountByIds(conversationIds: string[]): Promise<OperationResult[]>;
  clearUnreadCountByTypes(conversationTypes: KnownConversationType[]): Promise<void>;
  subscribeUnreadCountByFilter(filter: ConversationFilter): Promise<void>;
  unsubscribeUnreadCountByFilter(filter: ConversationFilter): Promise<void>;
  markConversationRead(conversationId: string): Promise<number>;
  getConversationReadTime(conversationId: string): Promise<number>;

  applyMessages(messages: Message[]): Promise<ApplyResult>;
  revokeMessage(refer: MessageKey, revokeInfo?: RevokeInfo): Promise<void>;
  deleteMessages(refers: MessageKey[]): Promise<void>;
  updateConversationInfo(conversationId: string, info: ConversationInfo): Promise<void>;
  /** null (or nothing) for no conversation on screen. */
  setCurrentConversation(conversationId?: string | null): Promise<void>;
  applyReadTime(conversationId: string, readTime: number): Promise<void>;
  close(): Promise<void>;

  addEventListener<K extends keyof LocalConversationEventMap>(
    type: K, listener: (event: LocalConversationEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof LocalConversationEventMap>(
    type: K, listener: (event: LocalConversationEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** Builds and parses `accountId|type|targetId` synchronously; bad input throws LocalConvError 191004. */
export declare class ConversationIdUtil {
  static p2pConversationId(accountId: string, targetId: string): string;
  static teamConversationId(accountId: string, teamId: string): string;
  static superTeamConversationId(accountId: string, superTeamId: string): string;
  static parseConversationType(conversationId: string): ConversationType;
  static parseConversationTargetId(conversationId: string): string;
}
