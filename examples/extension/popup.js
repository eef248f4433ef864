// The popup: the conversation list and the total unread, kept in step with
// the service worker. It opens the same account on the same IndexedDB in its
// own context; changes the service worker makes reach it as the usual
// CustomEvents (the several-tabs machinery, over BroadcastChannel), and
// changes made here (marking read) reach the service worker the same way.
// No inline script anywhere: the extension's CSP is
// script-src 'self' 'wasm-unsafe-eval'.
import { LocalConversationService, ConversationIdUtil } from './localconv/localconv.js';
import { ACCOUNT, RECEIVE } from './shared.js';

const $ = (id) => document.getElementById(id);
const PAGE = 100;

function status(text) {
  $('status').textContent = text;
}

function render(conversations) {
  const items = conversations.map((c) => {
    const li = document.createElement('li');
    li.dataset.id = c.conversationId;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = c.name || ConversationIdUtil.parseConversationTargetId(c.conversationId);
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = c.lastMessage ? c.lastMessage.text : '';
    const unread = document.createElement('span');
    unread.className = 'unread';
    unread.dataset.count = String(c.unreadCount);
    unread.textContent = String(c.unreadCount);
    li.append(name, unread, text);
    return li;
  });
  $('list').replaceChildren(...items);
}

async function main() {
  const service = await LocalConversationService.open({ accountId: ACCOUNT });
  // One refresh at a time; events that come meanwhile ask for one more.
  let refreshing = null;
  let again = false;
  const refresh = () => {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        const [{ conversationList }, total] = await Promise.all([
          service.getConversationList(0, PAGE), service.getTotalUnreadCount(),
        ]);
        render(conversationList);
        $('total').value = String(total);
      } while (again);
      refreshing = null;
    })();
    return refreshing;
  };
  for (const type of ['conversationCreated', 'conversationDeleted', 'conversationChanged']) {
    service.addEventListener(type, refresh);
  }
  service.addEventListener('totalUnreadCountChanged', (e) => { $('total').value = String(e.detail); });

  $('list').addEventListener('click', (e) => {
    const li = e.target.closest('li[data-id]');
    if (li) service.markConversationRead(li.dataset.id).catch((err) => status(`${err.code}: ${err.message}`));
  });
  $('read-all').addEventListener('click', () => service.clearTotalUnreadCount().catch((err) => status(`${err.code}: ${err.message}`)));
  // Incoming messages are the service worker's business: ask it (this wakes it if it was stopped).
  $('receive').addEventListener('click', async () => {
    const r = await chrome.runtime.sendMessage({ type: RECEIVE, count: 3 });
    if (r?.error) status(`${r.error.code}: ${r.error.message}`);
  });

  await refresh();
  status('');
  document.body.dataset.state = 'ready';
}

main().catch((e) => {
  status(`Could not open the conversations: ${e.code ?? ''} ${e.message}`);
  document.body.dataset.state = 'failed';
});
