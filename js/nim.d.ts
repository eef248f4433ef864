// Type declarations for localconv/nim: the NIM Web SDK's
// V2NIMLocalConversationService shape over localconv. Names, parameters and
// results follow the SDK's own declarations (nim-web-sdk-ng 10.8 and 10.9),
// and are compatible with them structurally, both ways: an app typed with the
// SDK's V2NIMLocalConversation, listener or service types can use these, and
// the SDK's values fit here (test/types/nim-sdk.ts, checked by
// test/nim-types.test.mjs against both versions). Nothing is imported from
// nim-web-sdk-ng: an app need not have it installed. README.md ("Coming from
// the NIM Web SDK") lists where the behaviour differs.
import type {
  OpenOptions, Message, MessageKey, RevokeInfo, ConversationInfo, ApplyResult,
} from './localconv.js';

export type { Message, MessageKey, RevokeInfo, ConversationInfo, ApplyResult } from './localconv.js';

/**
 * A TypeScript enum as js/nim.js builds it: NAME → value and value → NAME.
 * The SDK's enums are `const enum`s, which a `declare enum` here could never
 * match (TypeScript relates enums by declaration, not by value); a field is
 * typed with the union of the values instead, so the SDK's members are
 * assignable to it, and its values to the SDK's enum.
 */
type SDKEnum<T extends Record<keyof T, number>> = Readonly<T & { [K in keyof T as T[K]]: K }>;

interface ConversationTypes {
  V2NIM_CONVERSATION_TYPE_UNKNOWN: 0;
  V2NIM_CONVERSATION_TYPE_P2P: 1;
  V2NIM_CONVERSATION_TYPE_TEAM: 2;
  V2NIM_CONVERSATION_TYPE_SUPER_TEAM: 3;
}
export declare const V2NIMConversationType: SDKEnum<ConversationTypes>;
export type V2NIMConversationType = ConversationTypes[keyof ConversationTypes];

interface LastMessageStates {
  V2NIM_MESSAGE_STATUS_DEFAULT: 0;
  V2NIM_MESSAGE_STATUS_REVOKE: 1;
  V2NIM_MESSAGE_STATUS_BACKFILL: 2;
}
export declare const V2NIMLastMessageState: SDKEnum<LastMessageStates>;
export type V2NIMLastMessageState = LastMessageStates[keyof LastMessageStates];

interface MessageTypes {
  V2NIM_MESSAGE_TYPE_INVALID: -1;
  V2NIM_MESSAGE_TYPE_TEXT: 0;
  V2NIM_MESSAGE_TYPE_IMAGE: 1;
  V2NIM_MESSAGE_TYPE_AUDIO: 2;
  V2NIM_MESSAGE_TYPE_VIDEO: 3;
  V2NIM_MESSAGE_TYPE_LOCATION: 4;
  V2NIM_MESSAGE_TYPE_NOTIFICATION: 5;
  V2NIM_MESSAGE_TYPE_FILE: 6;
  V2NIM_MESSAGE_TYPE_AVCHAT: 7;
  V2NIM_MESSAGE_TYPE_TIPS: 10;
  V2NIM_MESSAGE_TYPE_ROBOT: 11;
  V2NIM_MESSAGE_TYPE_CALL: 12;
  V2NIM_MESSAGE_TYPE_CUSTOM: 100;
}
export declare const V2NIMMessageType: SDKEnum<MessageTypes>;
export type V2NIMMessageType = MessageTypes[keyof MessageTypes];

interface MessageSendingStates {
  V2NIM_MESSAGE_SENDING_STATE_UNKNOWN: 0;
  V2NIM_MESSAGE_SENDING_STATE_SUCCEEDED: 1;
  V2NIM_MESSAGE_SENDING_STATE_FAILED: 2;
  V2NIM_MESSAGE_SENDING_STATE_SENDING: 3;
}
export declare const V2NIMMessageSendingState: SDKEnum<MessageSendingStates>;
export type V2NIMMessageSendingState = MessageSendingStates[keyof MessageSendingStates];

interface MessageRevokeTypes {
  V2NIM_MESSAGE_REVOKE_TYPE_UNDEFINED: 0;
  V2NIM_MESSAGE_REVOKE_TYPE_P2P_BOTHWAY: 1;
  V2NIM_MESSAGE_REVOKE_TYPE_TEAM_BOTHWAY: 2;
  V2NIM_MESSAGE_REVOKE_TYPE_SUPERTEAM_BOTHWAY: 3;
  V2NIM_MESSAGE_REVOKE_TYPE_P2P_ONEWAY: 4;
  V2NIM_MESSAGE_REVOKE_TYPE_TEAM_ONEWAY: 5;
}
export declare const V2NIMMessageRevokeType: SDKEnum<MessageRevokeTypes>;
export type V2NIMMessageRevokeType = MessageRevokeTypes[keyof MessageRevokeTypes];

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

/**
 * Every failure: 191004 invalid parameter, 190002 closed, 190001 storage
 * failed (nothing changed). Its name is 'V2NIMError'; typed as Error's, so
 * that the SDK's V2NIMError is assignable to it as well.
 */
export declare class V2NIMError extends Error {
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

// The SDK's attachment types, field for field (V2NIMMessageService.d.ts).
// What the SDK's own enums type here (uploadState, a notification's type) is
// a number; updatedTeamInfo is left open.
export interface V2NIMMessageAttachmentBase {
  /** The raw attachment; custom messages have one. */
  raw?: string;
}
export interface V2NIMMessageFileAttachment extends V2NIMMessageAttachmentBase {
  file?: File;
  path?: string;
  size: number;
  url: string;
  md5?: string;
  ext: string;
  name: string;
  sceneName: string;
  uploadState: number;
}
export interface V2NIMMessageImageAttachment extends V2NIMMessageFileAttachment {
  width: number;
  height: number;
}
export interface V2NIMMessageAudioAttachment extends V2NIMMessageFileAttachment {
  duration: number;
}
export interface V2NIMMessageVideoAttachment extends V2NIMMessageFileAttachment {
  duration: number;
  width: number;
  height: number;
}
export interface V2NIMMessageLocationAttachment extends V2NIMMessageAttachmentBase {
  latitude: number;
  longitude: number;
  address: string;
}
export interface V2NIMMessageNotificationAttachment extends V2NIMMessageAttachmentBase {
  type: number;
  serverExtension?: string;
  targetIds?: string[];
  chatBanned?: boolean;
  updatedTeamInfo?: { [key: string]: any };
}
export interface V2NIMMessageCallAttachment extends V2NIMMessageAttachmentBase {
  type: number;
  channelId: string;
  status: number;
  durations: { accountId: string; duration: number }[];
  text: string;
}
export interface V2NIMMessageCustomAttachment extends V2NIMMessageAttachmentBase {
  raw: string;
}
/** A message's attachment, as the SDK types it; the host's object is kept as it was given. */
export type V2NIMMessageAttachment = V2NIMMessageAttachmentBase | V2NIMMessageFileAttachment
  | V2NIMMessageImageAttachment | V2NIMMessageAudioAttachment | V2NIMMessageVideoAttachment
  | V2NIMMessageLocationAttachment | V2NIMMessageNotificationAttachment | V2NIMMessageCallAttachment
  | V2NIMMessageCustomAttachment;

/**
 * A conversation's last message. Optional fields are optional as in the SDK's
 * declaration, so that the SDK's lastMessage is assignable to this one; here
 * every field but attachment and senderName is always present ("" when none).
 */
export interface V2NIMLastMessage {
  lastMessageState: V2NIMLastMessageState;
  messageRefer: V2NIMMessageRefer;
  messageType?: V2NIMMessageType;
  subType?: number;
  sendingState?: V2NIMMessageSendingState;
  /** When revoked: the postscript. */
  text?: string;
  /** As the message carried it; absent when none, and once revoked. */
  attachment?: V2NIMMessageAttachment;
  revokeAccountId?: string;
  revokeType?: V2NIMMessageRevokeType;
  serverExtension?: string;
  callbackExtension?: string;
  /** The sender's name as the host gave it; absent when the sender is the opened account. */
  senderName?: string;
}

/**
 * A conversation. name, avatar, mute and lastMessage are optional as in the
 * SDK's declaration; here they are always present ("", false, null when none).
 */
export interface V2NIMLocalConversation {
  conversationId: string;
  type: V2NIMConversationType;
  name?: string;
  avatar?: string;
  mute?: boolean;
  stickTop: boolean;
  localExtension: string;
  lastMessage?: V2NIMLastMessage | null;
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

/** A failed id of a batch call (the ids that succeeded are not listed, so error is always there). */
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

/**
 * The filter onUnreadCountChangedByFilter receives, typed as the SDK's. Here
 * it is normalized: conversationTypes sorted and unique, ignoreMuted false
 * when left out, both always present.
 */
export type V2NIMLocalConversationFilterWithEquals = V2NIMLocalConversationFilter & {
  /** Whether filter selects the same conversations (types as a set, ignoreMuted false when left out). */
  equals(filter: V2NIMLocalConversationFilter): boolean;
};

/** The SDK's V2NIMMessageRevokeNotification, as revokeMessage also takes it. */
export interface V2NIMMessageRevokeNotification {
  messageRefer: MessageKey;
  revokeAccountId?: string;
  revokeType?: V2NIMMessageRevokeType;
  postscript?: string;
  serverExtension?: string;
  callbackExtension?: string;
}

/**
 * A message for applyMessages: localconv's Message, with the attachment an
 * object as the SDK's V2NIMMessage carries it (so lastMessage.attachment is
 * one). The SDK's V2NIMMessage is assignable to it.
 */
export interface NIMMessageInput extends Omit<Message, 'attachment'> {
  attachment?: V2NIMMessageAttachment;
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

/**
 * The SDK's V2NIMLocalConversationService, and the host-feed methods. An
 * instance can be used where app code expects the SDK's service: the SDK's
 * methods have its signatures, on/off/once its listener map.
 */
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
  applyMessages(messages: NIMMessageInput[]): Promise<ApplyResult>;
  revokeMessage(notification: V2NIMMessageRevokeNotification): Promise<void>;
  revokeMessage(refer: MessageKey, revokeInfo?: RevokeInfo): Promise<void>;
  deleteMessages(refers: MessageKey[]): Promise<void>;
  /** A conversation's history was cleared up to deleteTime (the SDK's onClearHistoryNotifications). */
  applyClearHistory(conversationId: string, deleteTime: number): Promise<void>;
  updateConversationInfo(conversationId: string, info: ConversationInfo): Promise<void>;
  applyReadTime(conversationId: string, readTime: number): Promise<void>;
  /** applyReadTime for many conversations in one call; conversations not in the list are skipped. */
  applyReadTimes(readTimes: { conversationId: string; readTime: number }[]): Promise<void>;
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

/** A service of a NIM instance: attachToNIM listens to it, or (the local conversations') replaces it. */
interface NIMServiceLike {
  on(eventName: string, fn: (...args: any[]) => void): void;
  off(eventName: string, fn: (...args: any[]) => void): void;
}

/**
 * What attachToNIM needs of a nim-web-sdk-ng V2 instance (NIM.getInstance({…,
 * apiVersion: 'v2'})): a structural type, so that the SDK's NIM, of either of
 * its declaration copies (dist/v2, dist/esm), is assignable to it without
 * this package depending on the SDK. The other services it listens to when
 * present (V2NIMConversationService, V2NIMTeamService, …) are its own business.
 */
export interface NIMLike {
  V2NIMLoginService: NIMServiceLike & { getLoginUser(): string };
  V2NIMMessageService: NIMServiceLike;
  V2NIMLocalConversationService: NIMServiceLike;
  [service: string]: any;
}

/** The options of open() but accountId (the SDK's login user) and listeners (use on()). */
export type AttachOptions = Omit<OpenOptions, 'accountId' | 'listeners'>;

/**
 * Puts localconv's service at nim.V2NIMLocalConversationService, before
 * login: the account's list opens when the SDK logs in and is fed from the
 * SDK's own events. detach() stops it all and puts the SDK's own service
 * back. Throws V2NIMError 191004 for an instance that is not a V2 one, bad
 * options, or one attached already.
 */
export declare function attachToNIM(nim: NIMLike, options?: AttachOptions): { detach(): void };

// Only what is marked export above is exported (the helper types are not).
export {};
