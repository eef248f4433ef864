// Code written for the NIM Web SDK's V2NIMLocalConversationService, as the
// SDK's samples use it, type-checked with `tsc --noEmit --strict` against
// js/nim.d.ts (test/nim.test.mjs). Never run: only compiled. Each
// `@ts-expect-error` marks a misuse the declarations must refuse, as the
// SDK's own declarations do; a loose declaration would leave it unused.
import {
  open,
  V2NIMConst,
  V2NIMConversationType,
  V2NIMError,
  V2NIMLastMessageState,
  V2NIMMessageRevokeType,
  V2NIMMessageSendingState,
  V2NIMMessageType,
  type NIMLocalConversation,
  type V2NIMLastMessage,
  type V2NIMLocalConversation,
  type V2NIMLocalConversationFilter,
  type V2NIMLocalConversationOperationResult,
  type V2NIMLocalConversationResult,
} from '../../js/nim.js';

declare const nim: NIMLocalConversation;

function label(c: V2NIMLocalConversation): string {
  const kind = c.type === V2NIMConversationType.V2NIM_CONVERSATION_TYPE_P2P ? 'P2P'
    : c.type === V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM ? 'team' : 'super team';
  return `${c.unreadCount > 0 ? c.unreadCount : ''} ${kind} ${c.conversationId} ${new Date(c.updateTime).toLocaleString()}`;
}

// lastMessage and its messageType are optional, as in the SDK's declarations.
function preview(m: V2NIMLastMessage | null | undefined): string {
  if (!m) return '';
  if (m.lastMessageState === V2NIMLastMessageState.V2NIM_MESSAGE_STATUS_REVOKE) return `${m.revokeAccountId} revoked: ${m.text}`;
  const failed = m.sendingState === V2NIMMessageSendingState.V2NIM_MESSAGE_SENDING_STATE_FAILED;
  const image = m.messageType === V2NIMMessageType.V2NIM_MESSAGE_TYPE_IMAGE;
  const name: string = m.messageType === undefined ? '' : V2NIMMessageType[m.messageType];
  return `${m.senderName ?? m.messageRefer.senderId}: ${image ? '[image]' : m.text}${failed ? ' (failed)' : ''} ${name}`;
}

// The samples' On page: off first so that listening twice does not double calls.
const onConversationCreated = (conversation: V2NIMLocalConversation) => console.log(label(conversation));
const onConversationDeleted = (conversationIds: string[]) => console.log(conversationIds.join());
const onConversationChanged = (conversationList: V2NIMLocalConversation[]) => console.log(conversationList.map(label));
const onTotalUnreadCountChanged = (unreadCount: number) => console.log(unreadCount);
const onUnreadCountChangedByFilter = (filter: V2NIMLocalConversationFilter & { equals(f: V2NIMLocalConversationFilter): boolean }, unreadCount: number) =>
  console.log(filter.equals({ ignoreMuted: true }), unreadCount);
const onConversationReadTimeUpdated = (conversationId: string, readTime: number) => console.log(conversationId, new Date(readTime));

export function setListeners(): void {
  const s = nim.V2NIMLocalConversationService;
  s.off('onConversationCreated', onConversationCreated);
  s.off('onConversationDeleted', onConversationDeleted);
  s.off('onConversationChanged', onConversationChanged);
  s.off('onTotalUnreadCountChanged', onTotalUnreadCountChanged);
  s.off('onUnreadCountChangedByFilter', onUnreadCountChangedByFilter);
  s.off('onConversationReadTimeUpdated', onConversationReadTimeUpdated);
  s.on('onConversationCreated', onConversationCreated);
  s.on('onConversationDeleted', onConversationDeleted);
  s.on('onConversationChanged', onConversationChanged);
  s.on('onTotalUnreadCountChanged', onTotalUnreadCountChanged);
  s.on('onUnreadCountChangedByFilter', onUnreadCountChangedByFilter);
  s.on('onConversationReadTimeUpdated', onConversationReadTimeUpdated);
  s.once('onSyncFinished', () => console.log('synced'));
  s.on('onSyncFailed', (error) => console.log(error.code, error.desc, error.detail.reason));
  s.on('onUnreadCountChangedByFilter', (filter, count) => console.log(filter.conversationTypes, filter.ignoreMuted, count));
}

export function removeListeners(): void {
  nim.V2NIMLocalConversationService.removeAllListeners('onConversationChanged');
  nim.V2NIMLocalConversationService.removeAllListeners();
}

export async function samples(): Promise<number> {
  const s = nim.V2NIMLocalConversationService;
  const util = nim.V2NIMConversationIdUtil;
  const p2p: string = util.p2pConversationId('bob');
  const team = util.teamConversationId('t1');
  const superTeam = util.superTeamConversationId('s1');
  const type: V2NIMConversationType = util.parseConversationType(team);
  const target: string = util.parseConversationTargetId(superTeam);
  console.log(type, target);

  const created: V2NIMLocalConversation = await s.createConversation(p2p);
  console.log(created.lastMessage?.messageRefer.conversationType);
  const page: V2NIMLocalConversationResult = await s.getConversationList(0, 50);
  const { offset, finished, conversationList } = await s.getConversationListByOption(page.offset, 100, {
    conversationTypes: [V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_P2P],
    onlyUnread: true,
  });
  console.log(offset, finished, conversationList.map((c) => preview(c.lastMessage)));
  const one = await s.getConversation(p2p);
  const some = await s.getConversationListByIds([p2p, team]);
  const pinned = await s.getStickTopConversationList();
  await s.stickTopConversation(p2p, true);
  await s.updateConversationLocalExtension(p2p, 'draft');
  await s.deleteConversation(team, true);
  await s.deleteConversation(team);
  const failed: V2NIMLocalConversationOperationResult[] = await s.deleteConversationListByIds([team, superTeam], false);
  for (const { conversationId, error } of failed) console.log(conversationId, error.code, error.desc);

  const total: number = s.getTotalUnreadCount();
  const byIds: number = await s.getUnreadCountByIds([p2p, team]);
  const byFilter: number = await s.getUnreadCountByFilter({ ignoreMuted: true });
  await s.clearTotalUnreadCount();
  const cleared = await s.clearUnreadCountByIds([p2p]);
  await s.clearUnreadCountByTypes([V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM, 3]);
  const filter = { conversationTypes: [V2NIMConversationType.V2NIM_CONVERSATION_TYPE_P2P], ignoreMuted: true };
  s.subscribeUnreadCountByFilter(filter);
  s.unsubscribeUnreadCountByFilter(filter);
  const readTime: number = await s.markConversationRead(p2p);
  const known: number = await s.getConversationReadTime(p2p);
  s.setCurrentConversation(p2p);
  s.setCurrentConversation();

  // The host feeds what its connection hears.
  const applied = await s.applyMessages([{
    conversationId: p2p, messageClientId: 'c1', senderId: 'bob', createTime: Date.now(),
    messageType: V2NIMMessageType.V2NIM_MESSAGE_TYPE_TEXT, text: 'hi',
  }]);
  await s.revokeMessage({
    messageRefer: { conversationId: p2p, messageClientId: 'c1' }, revokeAccountId: 'bob',
    revokeType: V2NIMMessageRevokeType.V2NIM_MESSAGE_REVOKE_TYPE_P2P_BOTHWAY, postscript: 'oops',
  });
  await s.revokeMessage({ conversationId: p2p, messageClientId: 'c1' }, { postscript: '' });
  await s.deleteMessages([{ conversationId: p2p, messageClientId: 'c1' }]);
  await s.updateConversationInfo(p2p, { name: 'Bob', mute: true });
  await s.applyReadTime(p2p, Date.now());

  try {
    await s.getConversation(util.p2pConversationId('nobody'));
  } catch (e) {
    if (e instanceof V2NIMError) console.log(e.code, e.desc, e.detail.rawError);
  }
  await s.close();
  return total + byIds + byFilter + readTime + known + applied.applied + cleared.length + one.unreadCount + some.length + pinned.length;
}

export async function opening(): Promise<NIMLocalConversation> {
  return open({
    accountId: 'alice',
    placement: 'sharedWorker',
    listeners: {
      onSyncFinished() { console.log('synced'); },
      onUnreadCountChangedByFilter(filter, unreadCount) { console.log(filter.equals({}), unreadCount); },
      onConversationReadTimeUpdated(conversationId, readTime) { console.log(conversationId, readTime); },
    },
  });
}

export function misuse(): void {
  const s = nim.V2NIMLocalConversationService;
  // @ts-expect-error getTotalUnreadCount is synchronous, as in the SDK
  s.getTotalUnreadCount().then((n: number) => n);
  // @ts-expect-error an unknown listener name
  s.on('onTotalUnreadCountChange', (n: number) => n);
  // @ts-expect-error onConversationReadTimeUpdated has two arguments, not a detail object
  s.on('onConversationReadTimeUpdated', (u: { conversationId: string }) => u);
  // @ts-expect-error onTotalUnreadCountChanged gives a number
  s.on('onTotalUnreadCountChanged', (n: string) => n);
  // @ts-expect-error the account is implied: one argument
  nim.V2NIMConversationIdUtil.p2pConversationId('alice', 'bob');
  // @ts-expect-error getConversationListByOption takes an option, as in the SDK
  s.getConversationListByOption(0, 10);
  // @ts-expect-error conversation types are V2NIMConversationType values
  s.clearUnreadCountByTypes([7]);
  // @ts-expect-error subscribing returns nothing
  s.subscribeUnreadCountByFilter({ ignoreMuted: true }).then(() => {});
  // @ts-expect-error the constructor is private: use open()
  new (s.constructor as typeof import('../../js/nim.js').V2NIMLocalConversationService)();
  // @ts-expect-error listeners take the SDK's arguments
  open({ accountId: 'a', listeners: { onUnreadCountChangedByFilter(detail: { unreadCount: number }) { console.log(detail); } } });
}
