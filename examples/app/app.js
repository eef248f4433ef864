// The example app every bundler example builds: the conversation list of one
// account, a button that applies an incoming message, and the events that
// follow. ?placement=page|worker|sharedWorker picks where the module runs;
// window.app is there for the tests. It takes the package as an argument so
// that the import of 'localconv' stays in each example and resolves there.
const params = new URLSearchParams(location.search);
const placement = params.get('placement') || 'page';
const accountId = params.get('account') || 'me';
const $ = (id) => document.getElementById(id);

async function main({ LocalConversationService, ConversationIdUtil, MessageType }) {
  const events = [];
  const service = await LocalConversationService.open({ accountId, placement });
  for (const type of ['conversationCreated', 'conversationChanged', 'totalUnreadCountChanged']) {
    service.addEventListener(type, () => {
      events.push(type);
      render();
    });
  }
  let sent = 0;
  async function receive(text, from = 'bob') {
    return service.applyMessages([{
      conversationId: ConversationIdUtil.p2pConversationId(accountId, from),
      messageClientId: `${Date.now()}-${sent++}`,
      senderId: from,
      createTime: Date.now(),
      messageType: MessageType.TEXT,
      text,
    }]);
  }
  async function list() {
    return (await service.getConversationList(0, 100)).conversationList;
  }
  async function render() {
    $('list').replaceChildren(...(await list()).map((c) => {
      const li = document.createElement('li');
      li.textContent = `${ConversationIdUtil.parseConversationTargetId(c.conversationId)}: ${c.lastMessage?.text ?? ''} (${c.unreadCount} unread)`;
      return li;
    }));
    $('unread').textContent = String(await service.getTotalUnreadCount());
  }
  $('receive').addEventListener('click', () => receive('Hello from Bob'));
  $('placement').textContent = placement;
  window.app = { service, events, receive, list };
  await render();
  document.body.dataset.state = 'ready';
}

// startApp renders the page and runs the app on the localconv package the
// bundler resolved (each example's own node_modules).
export function startApp(localconv) {
  document.body.innerHTML = `
    <h1>Conversations (<span id="placement"></span>)</h1>
    <p>Unread: <span id="unread">…</span> <button id="receive">Receive a message</button></p>
    <ul id="list"></ul>
    <p id="status"></p>`;
  main(localconv).catch((e) => {
    $('status').textContent = `${e.name} ${e.code ?? ''}: ${e.message}`;
    document.body.dataset.state = 'failed';
    console.error(e);
  });
}
