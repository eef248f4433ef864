// Type declarations for localconv/nim: the NIM Web SDK's
// V2NIMLocalConversationService shape over localconv. Names, parameters and
// results follow the SDK's own declarations; README.md ("Coming from the NIM
// Web SDK") lists where the behaviour differs.
import type {
  OpenOptions, Message, MessageKey, RevokeInfo, ConversationInfo, ApplyResult,
} from './localconv.js';

export type { Message, MessageKey, RevokeInfo, ConversationInfo, ApplyResult } from './localconv.js';

export declare enum V2NIMConversationType {
  V2NIM_CONVERSATION_TYPE_UNKNOWN = 0,
  V2NIM_CONVERSATION_TYPE_P2P = 1,
  V2NIM_CONVERSATION_TYPE_TEAM = 2,
  V2NIM_CONVERSATION_TYPE_SUPER_TEAM = 3,
}

export declare enum V2NIMLastMessageState {
  V2NIM_MESSAGE_STATUS_DEFAULT = 0,
  V2NIM_MESSAGE_STATUS_REVOKE = 1,
  V2NIM_MESSAGE_STATUS_BACKFILL = 2,
}

export declare enum V2NIMMessageType {
  V2NIM_MESSAGE_TYPE_INVALID = -1,
  V2NIM_MESSAGE_TYPE_TEXT = 0,
  V2NIM_MESSAGE_TYPE_IMAGE = 1,
  V2NIM_MESSAGE_TYPE_AUDIO = 2,
  V2NIM_MESSAGE_TYPE_VIDEO = 3,
  V2NIM_MESSAGE_TYPE_LOCATION = 4,
  V2NIM_MESSAGE_TYPE_NOTIFICATION = 5,
  V2NIM_MESSAGE_TYPE_FILE = 6,
  V2NIM_MESSAGE_TYPE_AVCHAT = 7,
  V2NIM_MESSAGE_TYPE_TIPS = 10,
  V2NIM_MESSAGE_TYPE_ROBOT = 11,
  V2NIM_MESSAGE_TYPE_CALL = 12,
  V2NIM_MESSAGE_TYPE_CUSTOM = 100,
}

export declare enum V2NIMMessageSendingState {
  V2NIM_MESSAGE_SENDING_STATE_UNKNOWN = 0,
  V2NIM_MESSAGE_SENDING_STATE_SUCCEEDED = 1,
  V2NIM_MESSAGE_SENDING_STATE_FAILED = 2,
  V2NIM_MESSAGE_SENDING_STATE_SENDING = 3,
}

export declare enum V2NIMMessageRevokeType {
  V2NIM_MESSAGE_REVOKE_TYPE_UNDEFINED = 0,
  V2NIM_MESSAGE_REVOKE_TYPE_P2P_BOTHWAY = 1,
  V2NIM_MESSAGE_REVOKE_TYPE_TEAM_BOTHWAY = 2,
  V2NIM_MESSAGE_REVOKE_TYPE_SUPERTEAM_BOTHWAY = 3,
  V2NIM_MESSAGE_REVOKE_TYPE_P2P_ONEWAY = 4,
  V2NIM_MESSAGE_REVOKE_TYPE_TEAM_ONEWAY = 5,
}

export declare const V2NIMConst: Readonly<{
  V2NIMConversationType: typeof V2NIMConversationType;
  V2NIMLastMessageState: typeof V2NIMLastMessageState;
  V2NIMMessageType: typeof V2NIMMessageType;
  V2NIMMessageSendingState: typeof V2NIMMessageSendingState;
  V2NIMMessageRevokeType: typeof V2NIMMessageRevokeType;
}>;

export interface V2NIMErrorDetail {
  /** The module's message, naming the parameter. */
  reason?: string;
  /** The LocalConvError behind it, when there was one. */
  rawError?: Error;
  [key: string]: any;
}

/** Every failure: 191004 invalid parameter, 190002 closed, 190001 storage failed (nothing changed). */
export declare class V2NIMError extends Error {
  readonly name: 'V2NIMError';
  readonly code: number;
  readonly desc: string;
  readonly detail: V2NIMErrorDetail;
  constructor(code: number, desc: string, detail?: V2NIMErrorDetail);
}

export interface V2NIMMessageRefer {
  senderId: string;
  receiverId: string;
  messageClientId: string;
  messageServerId: string;
  createTime: number;
  conversationType: V2NIMConversationType;
  conversationId: string;
}

/** A message's attachment, as the host gave it. */
export interface V2NIMMessageAttachment {
  raw?: string;
  [key: string]: any;
}

export interface V2NIMLastMessage {
  lastMessageState: V2NIMLastMessageState;
  messageRefer: V2NIMMessageRefer;
  messageType: V2NIMMessageType;
  subType: number;
  sendingState: V2NIMMessageSendingState;
  /** When revoked: the postscript. */
  text: string;
  /** As the message carried it (an object, or a string if the host gave one); absent when none. */
  attachment?: V2NIMMessageAttachment | string;
  revokeAccountId: string;
  revokeType: V2NIMMessageRevokeType;
  serverExtension: string;
  callbackExtension: string;
  /** The sender's name as the host gave it; absent when the sender is the opened account. */
  senderName?: string;
}

export interface V2NIMLocalConversation {
  conversationId: string;
  type: V2NIMConversationType;
  name: string;
  avatar: string;
  mute: boolean;
  stickTop: boolean;
  localExtension: string;
  lastMessage: V2NIMLastMessage | null;
  unreadCount: number;
  sortOrder: number;
  createTime: number;
  updateTime: number;
}

export interface V2NIMLocalConversationResult {
  /** Pass it to the next call; 0 when finished. */
  offset: number;
  finished: boolean;
  conversationList: V2NIMLocalConversation[];
}

/** A failed id of a batch call (the ids that succeeded are not listed). */
export interface V2NIMLocalConversationOperationResult {
  conversationId: string;
  error: V2NIMError;
}

export interface V2NIMLocalConversationFilter {
  conversationTypes?: V2NIMConversationType[];
  ignoreMuted?: boolean;
}

export interface V2NIMLocalConversationOption {
  conversationTypes?: V2NIMConversationType[];
  onlyUnread?: boolean;
}

/** The filter onUnreadCountChangedByFilter receives: normalized, with equals(). */
export interface V2NIMLocalConversationFilterWithEquals {
  conversationTypes: V2NIMConversationType[];
  ignoreMuted: boolean;
  /** Whether filter selects the same conversations (types as a set, ignoreMuted false when left out). */
  equals(filter: V2NIMLocalConversationFilter): boolean;
}

/** The SDK's V2NIMMessageRevokeNotification, as revokeMessage also takes it. */
export interface V2NIMMessageRevokeNotification {
  messageRefer: MessageKey;
  revokeAccountId?: string;
  revokeType?: V2NIMMessageRevokeType;
  postscript?: string;
  serverExtension?: string;
  callbackExtension?: string;
}

/** Each listener's arguments, as in the SDK. */
export interface V2NIMLocalConversationListener {
  onSyncStarted: [];
  onSyncFinished: [];
  onSyncFailed: [error: V2NIMError];
  onConversationCreated: [conversation: V2NIMLocalConversation];
  onConversationDeleted: [conversationIds: string[]];
  onConversationChanged: [conversationList: V2NIMLocalConversation[]];
  onTotalUnreadCountChanged: [unreadCount: number];
  onUnreadCountChangedByFilter: [filter: V2NIMLocalConversationFilterWithEquals, unreadCount: number];
  onConversationReadTimeUpdated: [conversationId: string, readTime: number];
}

export type V2NIMLocalConversationListenerName = keyof V2NIMLocalConversationListener;

/** An object of handlers for open({listeners}), each with the SDK's arguments. */
export type V2NIMLocalConversationHandlers = {
  [K in V2NIMLocalConversationListenerName]?: (...args: V2NIMLocalConversationListener[K]) => void;
};

export declare class V2NIMLocalConversationService {
  private constructor();

  on<T extends V2NIMLocalConversationListenerName>(eventName: T, fn: (...args: V2NIMLocalConversationListener[T]) => void): void;
  once<T extends V2NIMLocalConversationListenerName>(eventName: T, fn: (...args: V2NIMLocalConversationListener[T]) => void): void;
  off<T extends V2NIMLocalConversationListenerName>(eventName: T, fn: (...args: V2NIMLocalConversationListener[T]) => void): void;
  removeAllListeners<T extends V2NIMLocalConversationListenerName>(eventName?: T): void;

  getConversationList(offset: number, limit: number): Promise<V2NIMLocalConversationResult>;
  getConversationListByOption(offset: number, limit: number, option: V2NIMLocalConversationOption): Promise<V2NIMLocalConversationResult>;
  getConversation(conversationId: string): Promise<V2NIMLocalConversation>;
  getConversationListByIds(conversationIds: string[]): Promise<V2NIMLocalConversation[]>;
  createConversation(conversationId: string): Promise<V2NIMLocalConversation>;
  deleteConversation(conversationId: string, clearMessage?: boolean): Promise<void>;
  deleteConversationListByIds(conversationIds: string[], clearMessage?: boolean): Promise<V2NIMLocalConversationOperationResult[]>;
  getStickTopConversationList(): Promise<V2NIMLocalConversation[]>;
  stickTopConversation(conversationId: string, stickTop: boolean): Promise<void>;
  updateConversationLocalExtension(conversationId: string, localExtension: string): Promise<void>;
  /** Synchronous: the total as of the last event, current once the call that changed it resolved. */
  getTotalUnreadCount(): number;
  getUnreadCountByIds(conversationIds: string[]): Promise<number>;
  getUnreadCountByFilter(filter: V2NIMLocalConversationFilter): Promise<number>;
  clearTotalUnreadCount(): Promise<void>;
  clearUnreadCountByIds(conversationIds: string[]): Promise<V2NIMLocalConversationOperationResult[]>;
  clearUnreadCountByTypes(types: V2NIMConversationType[]): Promise<void>;
  /** Synchronous; the current count arrives as onUnreadCountChangedByFilter. A refused filter is reported as an uncaught V2NIMError. */
  subscribeUnreadCountByFilter(filter: V2NIMLocalConversationFilter): void;
  unsubscribeUnreadCountByFilter(filter: V2NIMLocalConversationFilter): void;
  getConversationReadTime(conversationId: string): Promise<number>;
  markConversationRead(conversationId: string): Promise<number>;
  /** No id or "" for none. The SDK returns nothing; this resolves once applied. */
  setCurrentConversation(conversationId?: string): Promise<void>;

  /** What the host app received, sent or synced. */
  applyMessages(messages: Message[]): Promise<ApplyResult>;
  revokeMessage(notification: V2NIMMessageRevokeNotification): Promise<void>;
  revokeMessage(refer: MessageKey, revokeInfo?: RevokeInfo): Promise<void>;
  deleteMessages(refers: MessageKey[]): Promise<void>;
  updateConversationInfo(conversationId: string, info: ConversationInfo): Promise<void>;
  applyReadTime(conversationId: string, readTime: number): Promise<void>;
  close(): Promise<void>;
}

/** As on a NIM instance: the opened account is implied. Bad input throws V2NIMError 191004. */
export interface V2NIMConversationIdUtil {
  p2pConversationId(accountId: string): string;
  teamConversationId(teamId: string): string;
  superTeamConversationId(superTeamId: string): string;
  parseConversationType(conversationId: string): V2NIMConversationType;
  parseConversationTargetId(conversationId: string): string;
}

/** The part of a NIM instance that local-conversation code touches. */
export interface NIMLocalConversation {
  readonly V2NIMLocalConversationService: V2NIMLocalConversationService;
  readonly V2NIMConversationIdUtil: V2NIMConversationIdUtil;
}

export interface NIMOpenOptions extends Omit<OpenOptions, 'listeners'> {
  /** Registered before the sync starts; each handler gets the SDK's arguments. */
  listeners?: V2NIMLocalConversationHandlers;
}

export declare function open(options: NIMOpenOptions): Promise<NIMLocalConversation>;
