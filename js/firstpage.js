// The first page before the module has loaded. Compiling and starting the
// module takes most of a cold open; the module keeps the top of the list,
// as getConversationList(0, n) serves it, in its database at every close
// (core/firstpage.go). open({waitForSync: false}) reads it here, in one
// read-only transaction, and resolves at once if it is still the database's
// state (its change sequence is the database's, its account the opened
// one). getConversationList(0, n) is then answered from it until the module
// is ready; every other call, and every event, waits for the module.
import { FIRST_PAGE } from './methods.js';

// readFirstPage resolves to the page kept in dbName for accountId, or null
// when there is none to believe (no database, another account, a change
// since, a page of another format). It never creates a database or fails.
export function readFirstPage(accountId, dbName = FIRST_PAGE.dbPrefix + accountId) {
  return new Promise((resolve) => {
    let req;
    try {
      req = indexedDB.open(dbName);
    } catch {
      resolve(null);
      return;
    }
    // No such database: aborting the upgrade leaves none behind for the
    // module to find at version 1.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onerror = (e) => {
      e.preventDefault();
      resolve(null);
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close(); // never hold up the module's upgrade
      let tx;
      try {
        tx = db.transaction(FIRST_PAGE.store, 'readonly');
      } catch {
        db.close();
        resolve(null);
        return;
      }
      const store = tx.objectStore(FIRST_PAGE.store);
      const page = store.get(FIRST_PAGE.key);
      const seq = store.get(FIRST_PAGE.seqKey);
      const account = store.get(FIRST_PAGE.accountKey);
      tx.oncomplete = () => {
        db.close();
        resolve(believe(page.result, seq.result, account.result, accountId));
      };
      tx.onabort = () => {
        db.close();
        resolve(null);
      };
    };
  });
}

function believe(text, seq, account, accountId) {
  if (typeof text !== 'string' || account !== accountId) return null;
  let p;
  try {
    p = JSON.parse(text);
  } catch {
    return null;
  }
  const ok = p && p.format === FIRST_PAGE.format && p.account === accountId && p.seq === seq &&
    Number.isInteger(p.total) && Array.isArray(p.conversationList) && Array.isArray(p.offsets) &&
    p.offsets.length === p.conversationList.length;
  return ok ? p : null;
}

// servePage answers getConversationList(offset, limit) from page, or returns
// undefined when the page cannot (any other offset or limit, and a limit past
// the page while more conversations follow): the module answers those.
export function servePage(page, [offset, limit, ...rest]) {
  const list = page.conversationList;
  if (rest.length > 0 || offset !== 0 || !Number.isSafeInteger(limit) || limit < 1) return undefined;
  if (limit >= page.total && list.length === page.total) return { offset: 0, finished: true, conversationList: structuredClone(list) };
  if (limit > list.length) return undefined;
  return { offset: page.offsets[limit - 1], finished: false, conversationList: structuredClone(list.slice(0, limit)) };
}
