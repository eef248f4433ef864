// What the service worker and the popup agree on: the account both open (the
// same database, so the several-tabs machinery keeps them in step) and the
// messages a popup can ask the service worker to run.
export const ACCOUNT = 'me';

// chrome.runtime messages, popup → service worker:
//   {type: 'receive', count}  apply count simulated incoming messages; answers {applied, duplicates}
//   {type: 'ping'}            answers {total}: wakes the service worker if it was stopped
export const RECEIVE = 'receive';
export const PING = 'ping';
