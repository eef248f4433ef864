// The extension's service worker owns the conversation store. An MV3 service
// worker is a module worker that cannot use dynamic import(), so the wrapper
// is imported statically; it runs the module right here (placement 'page':
// the calling context), which the CSP allows with 'wasm-unsafe-eval'.
//
// It applies the messages "the IM connection" receives — simulated here: one
// on every chrome.alarms tick, or a few when the popup asks. The popup opens
// the same account itself and stays in step (see README.md).
import { LocalConversationService, ConversationIdUtil } from './localconv/localconv.js';
import { ACCOUNT, RECEIVE, PING } from './shared.js';

const PEERS = ['ada', 'grace', 'linus', 'margaret', 'alan'];
const TEAMS = ['design', 'backend'];
const LINES = ['Morning!', 'PR is up, could you take a look?', 'Lunch at 12:30?', 'Shipping it.', 'ok', 'Thanks!'];

// Opened once per start of the service worker; every handler awaits it.
// Event listeners are registered synchronously below, as MV3 requires.
const ready = LocalConversationService.open({ accountId: ACCOUNT });
ready.catch((e) => console.error('localconv: open failed', e.code, e.message));

let sequence = 0;
// receive applies count simulated incoming messages, as a host app applies
// what its IM connection delivers.
async function receive(count = 1) {
  const service = await ready;
  const messages = [];
  for (let i = 0; i < count; i++) {
    const r = Math.random();
    const team = r < 0.3;
    const peer = PEERS[Math.floor(Math.random() * PEERS.length)];
    messages.push({
      conversationId: team
        ? ConversationIdUtil.teamConversationId(ACCOUNT, TEAMS[Math.floor(r * 10) % TEAMS.length])
        : ConversationIdUtil.p2pConversationId(ACCOUNT, peer),
      messageClientId: `sim-${Date.now().toString(36)}-${sequence++}-${Math.random().toString(36).slice(2, 8)}`,
      senderId: peer,
      createTime: Date.now(),
      messageType: 0,
      text: LINES[Math.floor(Math.random() * LINES.length)],
    });
  }
  return service.applyMessages(messages);
}

chrome.runtime.onInstalled.addListener(() => {
  // A message now and then, as if they arrived (30 s is the shortest period MV3 allows).
  chrome.alarms.create('incoming', { periodInMinutes: 0.5 });
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === 'incoming') receive(1).catch((e) => console.error('localconv:', e.code, e.message));
});

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  const answer = (p) => {
    p.then(sendResponse, (e) => sendResponse({ error: { code: e.code, message: e.message } }));
    return true; // the answer comes asynchronously
  };
  if (message?.type === RECEIVE) return answer(receive(message.count));
  if (message?.type === PING) return answer(ready.then(async (s) => ({ total: await s.getTotalUnreadCount() })));
  return false;
});

// For DevTools and the tests (test/extension.test.mjs): the service, once open, and receive().
globalThis.example = { ready, receive };
