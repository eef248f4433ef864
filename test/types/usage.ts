// The whole API as an app uses it, type-checked with `tsc --noEmit --strict`
// against js/localconv.d.ts (test/types.test.mjs). Never run: only compiled.
// Each `@ts-expect-error` marks a misuse the declarations must refuse; if a
// declaration became too loose, tsc would report the directive as unused.
import {
  ConversationIdUtil,
  ConversationType,
  ErrorCode,
  LastMessageState,
  LocalConvError,
  LocalConversationService,
  MessageSendingState,
  MessageType,
  type ApplyResult,
  type Conversation,
  type ConversationFilter,
  type ConversationOption,
  type ConversationResult,
  type FilterUnreadCount,
  type LastMessage,
  type LocalConversationListener,
  type Message,
  type MessageKey,
  type OpenOptions,
  type OperationResult,
  type ReadTimeUpdate,
  type Subscription,
} from '../../js/localconv.js';

function render(list: Conversation[]): string {
  return list.map((c) => `${c.name || c.conversationId}: ${c.unreadCount}`).join('\n');
}

function describe(m: LastMessage | null): string {
  if (m === null) return '';
  const who: string = m.senderName ?? m.messageRefer.senderId;
  const revoked: boolean = m.lastMessageState === LastMessageState.REVOKED;
  const sent: boolean = m.sendingState === MessageSendingState.SUCCEEDED;
  const image: boolean = m.messageType === MessageType.IMAGE;
  const at: number = m.messageRefer.createTime;
  const type: ConversationType = m.messageRefer.conversationType;
  return `${who} ${revoked} ${sent} ${image} ${at} ${type} ${m.text} ${String(m.attachment)}`;
}

export async function app(): Promise<void> {
  const me = 'alice';
  const options: OpenOptions = {
    accountId: me,
    dbName: 'localconv-alice',
    storage: 'indexeddb',
    wasmUrl: new URL('/js/localconv.wasm', 'https://example.com'),
    waitForSync: true,
    listeners: {
      onSyncStarted() {},
      onSyncFinished() {},
      onSyncFailed(error: LocalConvError) {
        console.warn(error.code, error.message);
      },
    },
  };
  const service: LocalConversationService = await LocalConversationService.open(options);
  await LocalConversationService.open({ accountId: 'bob', storage: 'memory', wasmUrl: '/js/localconv.wasm' });

  // Events: typed CustomEvents on an EventTarget.
  service.addEventListener('conversationCreated', (e) => render([e.detail]));
  service.addEventListener('conversationChanged', (e) => render(e.detail));
  service.addEventListener('conversationDeleted', (e) => e.detail.forEach((id: string) => id.length));
  service.addEventListener('totalUnreadCountChanged', (e) => {
    const n: number = e.detail;
    document.title = `(${n}) Chat`;
  });
  service.addEventListener('unreadCountChangedByFilter', (e) => {
    const d: FilterUnreadCount = e.detail;
    const types: ConversationType[] = d.filter.conversationTypes;
    return [types, d.filter.ignoreMuted, d.unreadCount];
  });
  service.addEventListener('conversationReadTimeUpdated', (e) => {
    const d: ReadTimeUpdate = e.detail;
    return d.conversationId + d.readTime;
  });
  service.addEventListener('syncFailed', (e) => e.detail.code === ErrorCode.INTERNAL);
  const onAny = (e: Event) => (e as CustomEvent).detail;
  service.addEventListener('somethingElse', onAny);
  service.removeEventListener('somethingElse', onAny);

  // Seed-style listeners.
  const listener: LocalConversationListener = {
    onConversationCreated(c) { render([c]); },
    onConversationDeleted(ids) { ids.join(); },
    onConversationChanged(list) { render(list); },
    onTotalUnreadCountChanged(n) { n.toFixed(); },
    onUnreadCountChangedByFilter(d) { d.unreadCount.toFixed(); },
    onConversationReadTimeUpdated(d) { d.readTime.toFixed(); },
  };
  const sub: Subscription = service.listen(listener);
  sub.cancel();

  // Ids.
  const bob = ConversationIdUtil.p2pConversationId(me, 'bob');
  const team = ConversationIdUtil.teamConversationId(me, 't1');
  const superTeam = ConversationIdUtil.superTeamConversationId(me, 's1');
  const t: ConversationType = ConversationIdUtil.parseConversationType(bob);
  const target: string = ConversationIdUtil.parseConversationTargetId(team);
  if (t === ConversationType.P2P && target) console.log(superTeam);

  // Feeding the list.
  const message: Message = {
    conversationId: bob, messageClientId: 'c-1', senderId: 'bob', createTime: Date.now(), messageType: MessageType.TEXT,
    text: 'hi', attachment: { url: 'x' }, messageConfig: { unreadEnabled: true }, sendingState: 1,
  };
  const applied: ApplyResult = await service.applyMessages([message, { ...message, messageClientId: 'c-2', attachment: 'raw' }]);
  console.log(applied.applied + applied.duplicates);
  const key: MessageKey = { conversationId: bob, messageClientId: 'c-1' };
  await service.revokeMessage(key, { revokeAccountId: 'bob', revokeType: 1 });
  await service.revokeMessage(key);
  await service.deleteMessages([key]);
  await service.updateConversationInfo(bob, { name: 'Bob', avatar: 'https://example.com/b.png', mute: false });
  await service.setCurrentConversation(bob);
  await service.setCurrentConversation(null);
  await service.applyReadTime(bob, Date.now());
  const historyCleared: void = await service.applyClearHistory(bob, Date.now());
  console.log(historyCleared);

  // The seed's API.
  const created: Conversation = await service.createConversation(team);
  describe(created.lastMessage);
  const v: void = await service.updateConversationLocalExtension(team, '{"draft":""}');
  await service.deleteConversation(team);
  await service.deleteConversation(team, true);
  const results: OperationResult[] = await service.deleteConversationListByIds([team, superTeam], false);
  results.forEach((r) => r.error && r.error.code === ErrorCode.INVALID_PARAMETER && r.error.message);
  await service.stickTopConversation(bob, true);
  const one: Conversation = await service.getConversation(bob);
  let page: ConversationResult = await service.getConversationList(0, 50);
  while (!page.finished) page = await service.getConversationList(page.offset, 50);
  const byIds: Conversation[] = await service.getConversationListByIds([bob]);
  const option: ConversationOption = { conversationTypes: [ConversationType.P2P, ConversationType.TEAM], onlyUnread: true };
  await service.getConversationListByOption(0, 20, option);
  await service.getConversationListByOption(0, 20);
  const pinned: Conversation[] = await service.getStickTopConversationList();
  const total: number = await service.getTotalUnreadCount();
  const some: number = await service.getUnreadCountByIds([bob]);
  const filter: ConversationFilter = { conversationTypes: [ConversationType.P2P], ignoreMuted: true };
  const filtered: number = await service.getUnreadCountByFilter(filter);
  await service.clearTotalUnreadCount();
  const cleared: OperationResult[] = await service.clearUnreadCountByIds([bob]);
  await service.clearUnreadCountByTypes([ConversationType.TEAM, ConversationType.SUPER_TEAM]);
  await service.subscribeUnreadCountByFilter(filter);
  await service.unsubscribeUnreadCountByFilter(filter);
  const readTime: number = await service.markConversationRead(bob);
  const stored: number = await service.getConversationReadTime(bob);
  console.log(v, one, byIds, pinned, total, some, filtered, cleared, readTime, stored);

  // Errors.
  try {
    await service.getConversation('nope');
  } catch (e) {
    if (e instanceof LocalConvError) {
      const code: 190001 | 190002 | 191004 = e.code;
      const name: 'LocalConvError' = e.name;
      console.log(code, name, e.message, e instanceof Error);
    }
  }
  await service.close();

  // Misuse the declarations refuse.
  // @ts-expect-error accountId is required
  await LocalConversationService.open({});
  // @ts-expect-error storage is 'indexeddb' or 'memory'
  await LocalConversationService.open({ accountId: me, storage: 'disk' });
  // @ts-expect-error the constructor is private: use open()
  new LocalConversationService();
  // @ts-expect-error a conversation id is a string
  await service.getConversation(42);
  // @ts-expect-error stickTop is required
  await service.stickTopConversation(bob);
  // @ts-expect-error ids are an array
  await service.getConversationListByIds(bob);
  // @ts-expect-error offset and limit are required
  await service.getConversationList();
  // @ts-expect-error clearMessage is a boolean
  await service.deleteConversation(bob, 'yes');
  // @ts-expect-error a message needs a messageClientId
  await service.applyMessages([{ conversationId: bob, senderId: 'bob', createTime: 1, messageType: 0 }]);
  // @ts-expect-error the total is a number
  const wrong: string = await service.getTotalUnreadCount();
  // @ts-expect-error conversationDeleted's detail is string[]
  service.addEventListener('conversationDeleted', (e: CustomEvent<Conversation[]>) => e.detail);
  // @ts-expect-error handlers take the seed's names
  service.listen({ onConversationsChanged() {} });
  // @ts-expect-error ConversationIdUtil is static
  new ConversationIdUtil().p2pConversationId(me, 'bob');
  // @ts-expect-error a readonly enum
  ConversationType.P2P = 5;
  console.log(wrong);
}
