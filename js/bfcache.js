// A page that goes into the back/forward cache is frozen as it is, and
// WebKit keeps its IndexedDB transactions open all the while: every other
// tab's transaction on the same stores waits for as long as the page stays
// cached. So when a page of the module is hidden into that cache (pagehide
// with persisted), the module lets go of every transaction it has open —
// aborted, so a call under way is stored not at all and no other tab hears
// of it — and when the page is shown from it again (pageshow with
// persisted), the module carries on. docs/design.md, "A tab that goes away
// mid-call".
//
// Only then: a pagehide without persisted is a page being discarded, whose
// connections the browser closes itself (aborting what is open), as it does
// for a page closed or crashed. An unload listener does not keep WebKit from
// caching the page, and no other means of making it ineligible is sure.

// onBackForwardCache calls hide() when the page goes into the cache and
// show() when it comes back from it. Outside a page (a worker) it does
// nothing: a worker is frozen with its page, and its page acts for it.
export function onBackForwardCache(hide, show) {
  const page = typeof window === 'object' && window === globalThis && typeof window.addEventListener === 'function';
  if (!page) return;
  window.addEventListener('pagehide', (e) => {
    if (e.persisted) hide();
  });
  if (show) {
    window.addEventListener('pageshow', (e) => {
      if (e.persisted) show();
    });
  }
}
