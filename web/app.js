// The localconv demo chat app. It uses only the public API, imported the way
// a customer would import it, and renders every piece of data as text.
//
// Query parameters: ?account=alice (default "me"), ?storage=memory (default
// IndexedDB), ?placement=page|worker|sharedWorker (default worker: the
// placement the README recommends for a chat front-end — the module's work,
// seeding 100,000 conversations included, stays off the page's main thread).
import { LocalConversationService, ConversationIdUtil } from '/js/localconv.js';
import { ConversationList } from './convlist.js';
import { ListView } from './listview.js';
import { EventLog } from './eventlog.js';
import { Simulator } from './sim.js';
import { RowMenu } from './rowmenu.js';
import { confirmFirst } from './confirm.js';
import {
  displayName, initials, colorSlot, preview, messageBody, num, clock, longTime, filterKey, filterLabel, el, icon, TYPE_LABEL,
} from './format.js';

const $ = (id) => document.getElementById(id);
const TITLE = 'localconv demo';

const params = new URLSearchParams(location.search);
const account = params.get('account') || 'me';
const storage = params.get('storage') === 'memory' ? 'memory' : 'indexeddb';
const PLACEMENTS = { worker: 'a Worker', sharedWorker: 'a SharedWorker', page: 'the page' };
const placement = Object.hasOwn(PLACEMENTS, params.get('placement') ?? '') ? params.get('placement') : 'worker';

// The counters the page subscribes to (subscribeUnreadCountByFilter).
const COUNTERS = [
  { label: 'Teams and super teams, not muted', filter: { conversationTypes: [2, 3], ignoreMuted: true } },
  { label: 'P2P', filter: { conversationTypes: [1] } },
  { label: 'Super teams', filter: { conversationTypes: [3] } },
  { label: 'Everything not muted', filter: { ignoreMuted: true } },
];

const EVENTS = [
  'conversationCreated', 'conversationDeleted', 'conversationChanged', 'conversationReadTimeUpdated',
  'totalUnreadCountChanged', 'unreadCountChangedByFilter',
];

const state = {
  current: null, // the open conversation (latest state seen)
  currentId: null,
  readTime: 0,
  total: 0,
  seeding: null, // AbortController while seeding
};

// ---------------------------------------------------------------------------
// Small UI helpers

let toastTimer = 0;
function toast(text, kind = 'info') {
  const t = $('toast');
  t.textContent = text;
  t.dataset.kind = kind;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, kind === 'error' ? 6000 : 2500);
}

/** Runs an action, reporting a failure (a LocalConvError's code and message) as a toast. */
async function act(fn) {
  try {
    return await fn();
  } catch (e) {
    console.warn(e);
    toast(e && e.code ? `${e.code}: ${e.message}` : String(e?.message ?? e), 'error');
    return undefined;
  }
}

function setSync(stateName, text) {
  const pill = $('sync-state');
  pill.dataset.state = stateName;
  pill.textContent = text;
  document.body.dataset.sync = stateName;
}

function setTotal(n) {
  state.total = n;
  const b = $('total-unread');
  b.textContent = n > 99999 ? '99,999+' : num(n);
  b.classList.toggle('zero', n === 0);
  b.setAttribute('aria-label', `Total unread: ${n}`);
  document.title = n > 0 ? `(${n}) ${TITLE}` : TITLE;
}

// ---------------------------------------------------------------------------
// Boot

const log = new EventLog({
  list: $('log'), count: $('log-count'), types: $('log-types'),
  pauseButton: $('log-pause'), clearButton: $('log-clear'),
  nameOf: (c) => displayName(c),
});

$('fact-account').textContent = account;
$('fact-storage').textContent = storage === 'memory' ? 'memory (lost on reload)' : 'IndexedDB';
$('fact-placement').textContent = PLACEMENTS[placement];
$('account-placement').value = placement;
$('account-input').value = account;
if (storage === 'memory') {
  $('account-storage').disabled = false;
  $('account-storage').value = 'memory';
}
$('conv-close').append(icon('close'));
document.querySelector('.none-art').append(icon('chat', 'icon none-icon'));

let service;
try {
  service = await LocalConversationService.open({
    accountId: account,
    storage,
    placement,
    waitForSync: false, // show the first page at once; the rest of the list loads behind it
    // Registered before the sync starts, so its events are seen and logged.
    listeners: {
      onSyncStarted: () => {
        setSync('syncing', 'syncing…');
        log.add('syncStarted', null);
      },
      onSyncFinished: () => {
        setSync('finished', 'synced');
        log.add('syncFinished', null);
      },
      onSyncFailed: (e) => {
        setSync('failed', `failed: ${e.code} (memory only)`);
        log.add('syncFailed', e);
      },
    },
  });
} catch (e) {
  setSync('failed', 'could not open');
  const none = $('conv-none');
  none.replaceChildren(el('h2', '', 'The service could not be opened'), el('p', 'error-text', `${e.code ?? ''} ${e.message}`));
  document.title = `${TITLE} (failed)`;
  throw e;
}
document.title = TITLE; // open: the tests' harness waits for this (then it shows the unread count)

const model = new ConversationList(service, { pageSize: 100, onChange: () => view.schedule() });
const view = new ListView({
  viewport: $('list'), spacer: $('list-spacer'), footer: $('list-footer'), model, me: account,
  onOpen: (c) => openConversation(c.conversationId),
  onMenu: (c, at) => rowMenu.open(c, at),
  onRender: () => { $('list-empty').hidden = !(model.finished && model.items.length === 0); },
});
const rowMenu = new RowMenu($('row-menu'), { service, act, list: $('list') });
const sim = new Simulator(service, account);
// For playing in the console: demo.service is the LocalConversationService.
globalThis.demo = { service, model, view, sim, ConversationIdUtil };

// Every other event goes to the log as it is dispatched.
for (const type of EVENTS) service.addEventListener(type, (e) => log.add(e.type, e.detail));

// The list follows the events alone — from this tab or any other.
service.addEventListener('conversationCreated', (e) => {
  sim.nameIfKnown(e.detail);
  model.put(e.detail);
  follow(e.detail);
  view.schedule();
});
service.addEventListener('conversationChanged', (e) => {
  for (const c of e.detail) {
    model.put(c);
    follow(c);
  }
  view.schedule();
});
service.addEventListener('conversationDeleted', (e) => {
  for (const id of e.detail) {
    model.drop(id);
    if (id === state.currentId) closeConversation({ deleted: true });
  }
  view.schedule();
});
service.addEventListener('conversationReadTimeUpdated', (e) => {
  if (e.detail.conversationId === state.currentId) {
    state.readTime = e.detail.readTime;
    $('d-read').textContent = longTime(state.readTime);
  }
});
service.addEventListener('totalUnreadCountChanged', (e) => setTotal(e.detail));
service.addEventListener('unreadCountChangedByFilter', (e) => setCounter(e.detail.filter, e.detail.unreadCount));
service.addEventListener('syncFinished', () => refreshAll());


buildCounters();
await refreshAll();
document.body.dataset.ready = 'true';

/** Fetches the first page, the total and the counters afresh (at start and after a sync). */
async function refreshAll() {
  await act(async () => {
    const first = model.reset(model.option);
    const total = await service.getTotalUnreadCount();
    setTotal(total);
    for (const { filter } of COUNTERS) {
      await service.subscribeUnreadCountByFilter(filter); // emits the count at once (the first time)
      setCounter(filter, await service.getUnreadCountByFilter(filter));
    }
    await first;
  });
}

// ---------------------------------------------------------------------------
// Filters

function currentOption() {
  const pressed = document.querySelector('.seg[aria-pressed="true"]');
  const types = pressed?.dataset.types ? [Number(pressed.dataset.types)] : [];
  const onlyUnread = $('only-unread').checked;
  if (!types.length && !onlyUnread) return null; // the plain getConversationList
  return { conversationTypes: types, onlyUnread };
}

function applyFilter() {
  view.resetScroll();
  act(() => model.reset(currentOption()));
}

for (const seg of document.querySelectorAll('.seg')) {
  seg.addEventListener('click', () => {
    for (const s of document.querySelectorAll('.seg')) s.setAttribute('aria-pressed', String(s === seg));
    applyFilter();
  });
}
$('only-unread').addEventListener('change', applyFilter);
$('clear-all').addEventListener('click', () => act(async () => {
  await service.clearTotalUnreadCount();
  toast('All conversations marked read');
}));

// ---------------------------------------------------------------------------
// Counters

function buildCounters() {
  const ul = $('counters');
  for (const { label, filter } of COUNTERS) {
    const li = el('li', 'counter');
    li.dataset.key = filterKey(filter);
    const name = el('span', 'counter-label', label);
    name.title = `subscribeUnreadCountByFilter(${JSON.stringify(filter)}) — ${filterLabel(filter)}`;
    const value = el('span', 'counter-value zero', '0');
    li.append(name, value);
    ul.append(li);
  }
}

function setCounter(filter, n) {
  const li = $('counters').querySelector(`[data-key="${CSS.escape(filterKey(filter))}"]`);
  if (!li) return;
  const v = li.querySelector('.counter-value');
  v.textContent = num(n);
  v.classList.toggle('zero', n === 0);
  li.setAttribute('aria-label', `${li.firstChild.textContent}: ${n} unread`);
}

// ---------------------------------------------------------------------------
// The open conversation

async function openConversation(id) {
  const c = model.get(id) ?? (await act(() => service.getConversation(id)));
  if (!c) return;
  const switched = state.currentId !== id;
  state.currentId = id;
  state.current = c;
  state.readTime = 0;
  view.setSelected(id);
  renderPane({ fresh: switched });
  await act(async () => {
    // Read first (conversationReadTimeUpdated, the badge clears), then keep it
    // read while it is on screen.
    state.readTime = await service.markConversationRead(id);
    await service.setCurrentConversation(id);
    if (state.currentId === id) {
      $('d-read').textContent = longTime(state.readTime);
      document.body.dataset.current = id;
    }
  });
}

async function closeConversation({ deleted = false } = {}) {
  const id = state.currentId;
  state.currentId = null;
  state.current = null;
  view.setSelected(null);
  renderPane();
  if (deleted) toast('Conversation deleted');
  if (!id) return;
  await act(() => service.setCurrentConversation(null));
  if (!state.currentId) document.body.dataset.current = '';
}

/** A newer state of the open conversation arrived in an event. */
function follow(c) {
  if (c.conversationId !== state.currentId) return;
  const renamed = state.current?.name !== c.name;
  const ext = state.current?.localExtension !== c.localExtension;
  state.current = c;
  renderPane({ name: renamed, ext });
}

function renderPane({ fresh = false, name = fresh, ext = fresh } = {}) {
  const c = state.current;
  $('conv-none').hidden = !!c;
  $('conv-open').hidden = !c;
  document.body.dataset.conversation = c ? 'open' : 'none'; // a phone shows the list or the conversation
  if (!c) return;
  const shown = displayName(c);
  const avatar = $('conv-avatar');
  avatar.textContent = initials(shown);
  avatar.className = `avatar large c${colorSlot(c.conversationId)}${c.type !== 1 ? ' group' : ''}`;
  $('conv-name').textContent = shown;
  $('conv-type').textContent = TYPE_LABEL[c.type] ?? `type ${c.type}`;
  $('conv-pinned').hidden = !c.stickTop;
  $('conv-muted').hidden = !c.mute;
  $('conv-unread').hidden = !(c.unreadCount > 0);
  $('conv-unread').textContent = `${num(c.unreadCount)} unread`;

  const m = c.lastMessage;
  $('msg-empty').hidden = !!m;
  $('msg').hidden = !m;
  if (m) {
    const pv = preview(c, account);
    const mine = m.messageRefer?.senderId === account;
    $('msg').classList.toggle('mine', mine);
    $('msg').classList.toggle('revoked', m.lastMessageState === 1);
    $('msg-sender').textContent = mine ? 'You' : m.senderName || m.messageRefer?.senderId || '';
    $('msg-body').textContent = m.lastMessageState === 1 ? pv.text : messageBody(m);
    $('msg-time').textContent = longTime(m.messageRefer?.createTime);
    $('msg-state').textContent = m.lastMessageState === 1 ? ' · revoked' : m.sendingState === 2 ? ' · failed' : m.sendingState === 3 ? ' · sending' : '';
  }

  $('act-pin').textContent = c.stickTop ? 'Unpin' : 'Pin to top';
  $('act-pin').title = `stickTopConversation(id, ${!c.stickTop})`;
  $('act-mute').textContent = c.mute ? 'Unmute' : 'Mute';
  $('act-mute').title = `updateConversationInfo(id, {mute: ${!c.mute}})`;
  $('act-revoke').disabled = !m || m.lastMessageState === 1;

  if (name && document.activeElement !== $('rename-input')) $('rename-input').value = c.name;
  if (ext && document.activeElement !== $('ext-input')) $('ext-input').value = c.localExtension;
  if (fresh) $('ext-saved').textContent = '';

  $('d-id').textContent = c.conversationId;
  $('d-sort').textContent = String(c.sortOrder) + (c.stickTop ? ' (pinned: t + 1e15)' : '');
  $('d-read').textContent = longTime(state.readTime);
  $('d-updated').textContent = longTime(c.updateTime);
  $('d-created').textContent = longTime(c.createTime);
}

$('conv-close').addEventListener('click', () => {
  closeConversation();
  $('list').focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || !state.currentId) return;
  if (e.target.closest?.('input, textarea, select')) return;
  closeConversation();
  $('list').focus();
});

$('act-pin').addEventListener('click', () => act(async () => {
  const c = state.current;
  if (c) await service.stickTopConversation(c.conversationId, !c.stickTop);
}));
$('act-mute').addEventListener('click', () => act(async () => {
  const c = state.current;
  if (c) await service.updateConversationInfo(c.conversationId, { mute: !c.mute });
}));
$('act-revoke').addEventListener('click', () => act(async () => {
  const m = state.current?.lastMessage;
  if (m) await service.revokeMessage(m.messageRefer, { revokeAccountId: account, revokeType: 1 });
}));
$('act-delete').addEventListener('click', () => act(async () => {
  if (state.currentId) await service.deleteConversation(state.currentId, false);
}));
confirmFirst($('act-delete-clear'), 'Delete it and its messages? Click again');
$('act-delete-clear').addEventListener('click', () => act(async () => {
  if (state.currentId) await service.deleteConversation(state.currentId, true);
}));
$('rename-form').addEventListener('submit', (e) => {
  e.preventDefault();
  act(async () => {
    if (!state.currentId) return;
    await service.updateConversationInfo(state.currentId, { name: $('rename-input').value });
    toast('Name saved');
  });
});
$('ext-form').addEventListener('submit', (e) => {
  e.preventDefault();
  act(async () => {
    if (!state.currentId) return;
    await service.updateConversationLocalExtension(state.currentId, $('ext-input').value);
    $('ext-saved').textContent = `saved at ${clock(Date.now())}`;
  });
});
$('send-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('send-text').value;
  if (!text.trim() || !state.currentId) return;
  act(async () => {
    await service.applyMessages([sim.outgoing(state.currentId, text)]);
    $('send-text').value = '';
  });
});
$('reply').addEventListener('click', () => act(async () => {
  if (state.currentId) await sim.deliver([sim.replyIn(state.currentId)]);
}));

// ---------------------------------------------------------------------------
// Simulator

$('recv-one').addEventListener('click', () => act(() => sim.receiveOne()));
$('recv-burst').addEventListener('click', async () => {
  const b = $('recv-burst');
  b.disabled = true;
  const t0 = performance.now();
  const applied = await act(() => sim.burst(1000, 250));
  b.disabled = false;
  if (applied !== undefined) toast(`Applied ${num(applied)} messages in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
});
let live = 0;
$('auto-recv').addEventListener('change', (e) => {
  clearTimeout(live);
  const tick = () => {
    act(() => sim.receiveOne());
    live = setTimeout(tick, 700 + Math.random() * 1600);
  };
  if (e.target.checked) tick();
});

async function seed(count) {
  if (state.seeding) return;
  const ctl = new AbortController();
  state.seeding = ctl;
  const buttons = [$('seed-10k'), $('seed-100k')];
  for (const b of buttons) b.disabled = true;
  $('seed-stop').hidden = false;
  $('seed-box').hidden = false;
  const bar = $('seed-progress');
  bar.max = count;
  bar.value = 0;
  const t0 = performance.now();
  let done = 0;
  const show = (final = false) => {
    const s = (performance.now() - t0) / 1000;
    const rate = s > 0 ? Math.round(done / s) : 0;
    $('seed-text').textContent = final
      ? `${ctl.signal.aborted ? 'Stopped after' : 'Seeded'} ${num(done)} conversations in ${s.toFixed(1)} s (${num(rate)}/s)`
      : `${num(done)} / ${num(count)} · ${s.toFixed(1)} s · ${num(rate)}/s`;
  };
  const ticker = setInterval(show, 200);
  show();
  document.body.dataset.seeding = 'running';
  await act(() => sim.seed(count, {
    batch: 1000,
    signal: ctl.signal,
    onProgress: (n) => {
      done = n;
      bar.value = n;
    },
  }));
  clearInterval(ticker);
  show(true);
  for (const b of buttons) b.disabled = false;
  $('seed-stop').hidden = true;
  state.seeding = null;
  document.body.dataset.seeding = 'done';
}
$('seed-10k').addEventListener('click', () => seed(10_000));
$('seed-100k').addEventListener('click', () => seed(100_000));
$('seed-stop').addEventListener('click', () => state.seeding?.abort());

// ---------------------------------------------------------------------------
// New conversation

$('new-form').addEventListener('submit', (e) => {
  e.preventDefault();
  act(async () => {
    const type = Number($('new-type').value);
    const target = $('new-target').value.trim();
    const name = $('new-name').value;
    const id = sim.idFor(type, target); // throws LocalConvError 191004 on a bad target
    await service.createConversation(id);
    if (name) await service.updateConversationInfo(id, { name });
    $('new-target').value = '';
    $('new-name').value = '';
    await openConversation(id);
  });
});
