// A NIM Web SDK app whose conversation list is localconv, built the way
// NetEase's demos build theirs: the SDK instance, then attachToNIM (before
// anything registers on nim.V2NIMLocalConversationService), then NetEase's
// UIKit store, then login. The list view renders the UIKit's MobX list: it is
// there at once after a reload (IndexedDB), kept past the SDK's 10,000 cap.
import * as sdk from 'nim-web-sdk-ng';
import { attachToNIM } from 'localconv/nim';
import { RootStore } from '@xkit-yx/im-store-v2';
import { autorun } from 'mobx';

// The SDK's browser bundle is UMD (CommonJS to a bundler), its class the
// export "default"; bundlers wrap it once more or not.
const NIM = sdk.default?.getInstance ? sdk.default : sdk.default.default;
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const placement = params.get('placement') || 'sharedWorker';

let nim = null;
let store = null;
let stopRendering = null;

function start(appkey) {
  nim = NIM.getInstance({ appkey, apiVersion: 'v2', debugLevel: 'warn' });
  // One list per account, in IndexedDB, shared by the tabs of the origin.
  attachToNIM(nim, { placement });
  store = new RootStore(nim, {}, 'Web');
  stopRendering = autorun(render);
  window.app = { nim, store };
}

function render() {
  const local = store.localConversationStore;
  const items = [...local.conversations.values()].sort((a, b) => b.sortOrder - a.sortOrder);
  $('list').replaceChildren(...items.map((c) => {
    const li = document.createElement('li');
    li.className = c.stickTop ? 'pinned' : '';
    li.dataset.id = c.conversationId;
    const name = document.createElement('span');
    name.textContent = c.name || c.conversationId.split('|').slice(2).join('|');
    const last = document.createElement('span');
    last.className = 'last';
    last.textContent = c.lastMessage?.lastMessageState === 1 ? '(revoked)' : (c.lastMessage?.text ?? '');
    li.append(name, last);
    if (c.unreadCount > 0) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(c.unreadCount);
      li.append(badge);
    }
    return li;
  }));
  $('total').textContent = local.totalUnreadCount ? String(local.totalUnreadCount) : '';
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!nim) start($('appkey').value);
  $('status').textContent = 'logging in…';
  try {
    await nim.V2NIMLoginService.login($('account').value, $('token').value, { forceMode: false });
    $('status').textContent = $('account').value;
    $('login').hidden = true;
    $('logout').hidden = false;
  } catch (err) {
    $('status').textContent = `login failed: ${err.desc || err.message}`;
  }
});

$('logout').addEventListener('click', async () => {
  await nim.V2NIMLoginService.logout();
  // As NetEase's demos: the UIKit store goes with the session; the list's
  // data stays in IndexedDB for the next login.
  store.destroy();
  stopRendering();
  store = new RootStore(nim, {}, 'Web');
  stopRendering = autorun(render);
  window.app.store = store;
  $('login').hidden = false;
  $('logout').hidden = true;
  $('status').textContent = 'not logged in';
});

// ?appkey=… starts the instance at once (the tests use it: no login form).
if (params.get('appkey')) start(params.get('appkey'));
document.body.dataset.state = 'ready';
