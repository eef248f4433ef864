// App code typed with nim-web-sdk-ng's own declarations, using localconv/nim
// (js/nim.d.ts) where it would use the SDK's local conversations. Never run:
// test/nim-types.test.mjs compiles it with `tsc --strict` against the SDK 10.8.1
// and, mapped onto 'nim-web-sdk-ng', 10.9.77-alpha.4. js/nim.d.ts imports
// nothing from the SDK; every line here holds because the shapes agree.
// Each `@ts-expect-error` is a misuse that must still be refused, so that
// the file cannot compile by everything having become `any`.
import NIM, { V2NIMConst } from 'nim-web-sdk-ng';
import type {
  V2NIMLocalConversation,
  V2NIMLocalConversationFilter,
  V2NIMLocalConversationListener,
  V2NIMLocalConversationOption,
  V2NIMLocalConversationResult,
  V2NIMLocalConversationService,
} from 'nim-web-sdk-ng/dist/v2/NIM_BROWSER_SDK/V2NIMLocalConversationService';
import type { V2NIMConversationType, V2NIMLastMessage } from 'nim-web-sdk-ng/dist/v2/NIM_BROWSER_SDK/V2NIMConversationService';
import type {
  V2NIMMessageAttachment,
  V2NIMMessageImageAttachment,
  V2NIMMessageType,
} from 'nim-web-sdk-ng/dist/v2/NIM_BROWSER_SDK/V2NIMMessageService';
import type { V2NIMError } from 'nim-web-sdk-ng/dist/v2/NIM_BROWSER_SDK/types';
import type ESMNIM from 'nim-web-sdk-ng/dist/esm/nim/src/index';
import type {
  V2NIMLocalConversation as ESMConversation,
  V2NIMLocalConversationService as ESMService,
} from 'nim-web-sdk-ng/dist/esm/nim/src/V2NIMLocalConversationService';
import * as local from '../../js/nim.js';

declare const ours: local.NIMLocalConversation;
declare const sdk: NIM;
const service = ours.V2NIMLocalConversationService;

// The app's own code, written against the SDK's types.
function row(c: V2NIMLocalConversation): string {
  const team = c.type === V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM;
  const last: V2NIMLastMessage | null | undefined = c.lastMessage;
  const image = last?.messageType === V2NIMConst.V2NIMMessageType.V2NIM_MESSAGE_TYPE_IMAGE
    ? (last.attachment as V2NIMMessageImageAttachment | undefined)?.url : undefined;
  return `${team ? '[team] ' : ''}${c.name ?? c.conversationId} ${c.unreadCount} ${image ?? last?.text ?? ''}`;
}
function render(list: V2NIMLocalConversation[]): string[] {
  return list.map(row);
}
function useService(s: V2NIMLocalConversationService): number {
  return s.getTotalUnreadCount();
}

// Our conversations, pages and service where the SDK's are expected.
export async function conversations(): Promise<string[]> {
  const one = await service.getConversation('alice|1|bob');
  const page: V2NIMLocalConversationResult = await service.getConversationList(0, 50);
  const some: V2NIMLocalConversation[] = await service.getConversationListByIds(['alice|1|bob']);
  const last: V2NIMLastMessage | null | undefined = one.lastMessage;
  const attachment: V2NIMMessageAttachment | undefined = last?.attachment;
  console.log(attachment);
  const asSdk: V2NIMLocalConversationService = service;
  const slot: NIM['V2NIMLocalConversationService'] = service;
  console.log(useService(service), useService(asSdk), slot.getTotalUnreadCount());
  return [row(one), ...render(page.conversationList), ...render(some)];
}

// The SDK's conversations where ours are expected.
export async function fromSdk(): Promise<local.V2NIMLocalConversation[]> {
  const s = sdk.V2NIMLocalConversationService;
  const theirs: V2NIMLocalConversation = await s.getConversation('alice|1|bob');
  const mine: local.V2NIMLocalConversation = theirs;
  const lastMessage: local.V2NIMLastMessage | null | undefined = theirs.lastMessage;
  const result: local.V2NIMLocalConversationResult = await s.getConversationList(0, 50);
  console.log(mine, lastMessage);
  return result.conversationList;
}

// The SDK's enum values in our filters and options, ours in the SDK's.
export async function enums(): Promise<void> {
  const P2P = V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_P2P;
  const filter: V2NIMLocalConversationFilter = { conversationTypes: [P2P], ignoreMuted: true };
  const option: V2NIMLocalConversationOption = { conversationTypes: [P2P, V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM] };
  await service.getConversationListByOption(0, 10, option);
  await service.getConversationListByOption(0, 10, { conversationTypes: [P2P], onlyUnread: true });
  await service.getUnreadCountByFilter(filter);
  service.subscribeUnreadCountByFilter(filter);
  await service.clearUnreadCountByTypes([V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_SUPER_TEAM]);
  const sdkType: V2NIMConversationType = local.V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM;
  const ourType: local.V2NIMConversationType = P2P;
  const sdkMessageType: V2NIMMessageType = local.V2NIMMessageType.V2NIM_MESSAGE_TYPE_CUSTOM;
  const ourFilter: local.V2NIMLocalConversationFilter = { conversationTypes: [local.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_P2P] };
  await sdk.V2NIMLocalConversationService.getUnreadCountByFilter(ourFilter);
  await sdk.V2NIMLocalConversationService.clearUnreadCountByTypes([ourType, sdkType]);
  console.log(sdkMessageType);
}

// Listeners typed with the SDK's signatures, on our service.
type SdkHandler<K extends keyof V2NIMLocalConversationListener> = (...args: V2NIMLocalConversationListener[K]) => void;
const onChanged: SdkHandler<'onConversationChanged'> = (list) => console.log(render(list));
const onCreated: SdkHandler<'onConversationCreated'> = (conversation) => console.log(row(conversation));
const onFilter: SdkHandler<'onUnreadCountChangedByFilter'> = (filter, count) => console.log(filter.equals({ ignoreMuted: true }), count);
const onFailed = (error: V2NIMError) => console.log(error.code, error.desc, error.detail.reason);
export function listeners(): void {
  service.on('onConversationChanged', onChanged);
  service.once('onConversationCreated', onCreated);
  service.on('onUnreadCountChangedByFilter', onFilter);
  service.on('onSyncFailed', onFailed);
  service.off('onConversationChanged', onChanged);
  service.removeAllListeners('onUnreadCountChangedByFilter');
  // Our handlers on the SDK's service.
  const mine = (list: local.V2NIMLocalConversation[]) => console.log(list.length);
  const mineFailed = (error: local.V2NIMError) => console.log(error.detail.rawError);
  sdk.V2NIMLocalConversationService.on('onConversationChanged', mine);
  sdk.V2NIMLocalConversationService.on('onSyncFailed', mineFailed);
}
export function openWithSdkHandlers(): Promise<local.NIMLocalConversation> {
  return local.open({ accountId: 'alice', listeners: { onConversationChanged: onChanged, onUnreadCountChangedByFilter: onFilter } });
}

// Feeding ours from a NIM instance: by hand, and with attachToNIM.
export function feed(): void {
  sdk.V2NIMMessageService.on('onReceiveMessages', (messages) => void service.applyMessages(messages));
  sdk.V2NIMMessageService.on('onSendMessage', (message) => void service.applyMessages([message]));
  sdk.V2NIMMessageService.on('onMessageRevokeNotifications', (list) => list.forEach((n) => void service.revokeMessage(n)));
  sdk.V2NIMMessageService.on('onMessageDeletedNotifications', (list) => void service.deleteMessages(list.map((n) => n.messageRefer)));
  sdk.V2NIMMessageService.on('onClearHistoryNotifications', (list) => list.forEach((n) => void service.applyClearHistory(n.conversationId, n.deleteTime)));
}
export function attach(): void {
  const nim = NIM.getInstance({ appkey: 'key', account: 'alice', token: 'token', apiVersion: 'v2' });
  const a = local.attachToNIM(nim);
  const b = local.attachToNIM(nim, { placement: 'sharedWorker', waitForSync: false, storage: 'memory' });
  a.detach();
  b.detach();
}

// The SDK ships its declarations twice, and its own two copies do not mix
// (each declares its const enums); ours fit the dist/esm copy as well, which
// NetEase's UIKit store imports.
export function esm(nim: ESMNIM, s: ESMService, c: ESMConversation): void {
  local.attachToNIM(nim);
  const asEsm: ESMService = service;
  const mine: local.V2NIMLocalConversation = c;
  s.on('onConversationChanged', (list: local.V2NIMLocalConversation[]) => console.log(list.length));
  service.on('onConversationCreated', (conversation: ESMConversation) => console.log(conversation.conversationId));
  console.log(asEsm, mine);
}

export function misuse(): void {
  // @ts-expect-error onConversationChanged gives a list, in the SDK and here
  service.on('onConversationChanged', (c: V2NIMLocalConversation) => c);
  // @ts-expect-error the SDK's own on() is typed too (eventemitter3's ArgumentMap is in effect)
  sdk.V2NIMLocalConversationService.on('onTotalUnreadCountChanged', (n: string) => n);
  // @ts-expect-error 7 is no conversation type, for the SDK's enum as for ours
  const t: V2NIMConversationType = 7;
  // @ts-expect-error a message type is not a conversation type
  const u: V2NIMConversationType = local.V2NIMMessageType.V2NIM_MESSAGE_TYPE_CUSTOM;
  // @ts-expect-error the SDK's service lacks the host-feed methods
  const mine: local.V2NIMLocalConversationService = sdk.V2NIMLocalConversationService;
  // @ts-expect-error attachToNIM needs a NIM instance
  local.attachToNIM({ V2NIMLoginService: {} });
  // @ts-expect-error the account is the instance's logged-in user
  local.attachToNIM(sdk, { accountId: 'alice' });
  // @ts-expect-error an attachment is an object
  const raw: string | undefined = (null as unknown as local.V2NIMLocalConversation).lastMessage?.attachment;
  console.log(t, u, mine, raw);
}
