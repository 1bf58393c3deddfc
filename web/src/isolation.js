// Cross-origin isolation on hosts that cannot send headers: registers the
// service worker of ./isolation-sw.js (dist/isolation-sw.js), which adds
// COOP/COEP to this origin's responses, and reloads the page once it is in
// control, so that the page and its workers load isolated and the worker can
// use the threaded wasm build.
//
// The steps, on a page that is not cross-origin isolated:
//   1. no service workers (old browser, some private modes), or not a secure
//      context (service workers need https or localhost): give up;
//   2. `?sw=0` in the URL: the service worker is not wanted; an earlier
//      registration is removed (and the page reloaded once if it was in
//      control, so that this load is the plain one). A machine reporting
//      one core needs no threads: nothing to do either;
//   3. register (a no-op when registered already) and wait for it to control
//      the page (the worker claims open pages when it activates);
//   4. reload once. A flag in sessionStorage, set just before the reload,
//      keeps it to once per tab: if the page is still not isolated after it
//      (a browser that does not take headers from a service worker), give up.
// Giving up means the single-thread build, with the reason in the thread
// note (state.js appends what isolate_page resolves to).
//
// On a page that is isolated already (the server sends the headers, or the
// service worker did) nothing is registered and nothing is requested.

const SW_URL = 'isolation-sw.js';           // next to index.html: its scope is the page
const RELOAD_FLAG = 'ggufcheck-isolation-reload';
// How long to wait for the service worker to take control before carrying on
// without it (it normally takes a fraction of a second: one small script).
const CONTROL_TIMEOUT_MS = 5_000;

function flag_get() {
  try { return sessionStorage.getItem(RELOAD_FLAG) !== null; } catch { return false; }
}
// Returns false where sessionStorage is unavailable: then no reload is safe.
function flag_set() {
  try { sessionStorage.setItem(RELOAD_FLAG, '1'); return flag_get(); } catch { return false; }
}
function flag_clear() {
  try { sessionStorage.removeItem(RELOAD_FLAG); } catch { /* nothing to clear */ }
}

// Reloads the page once per tab; resolves never if it does, to the reason
// given up otherwise.
function reload_once(reason) {
  if (flag_get() || !flag_set()) return Promise.resolve(reason);
  location.reload();
  return new Promise(() => {});
}

// Resolves when this page has a controlling service worker (true), or after
// `ms` without one (false).
function controlled_within(ms) {
  if (navigator.serviceWorker.controller) return Promise.resolve(true);
  return new Promise((ok) => {
    const done = (v) => { clearTimeout(timer); navigator.serviceWorker.removeEventListener('controllerchange', on_change); ok(v); };
    const on_change = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    navigator.serviceWorker.addEventListener('controllerchange', on_change);
  });
}

// Makes the page cross-origin isolated if it can. Resolves to '' when the
// page is isolated, to why it is not otherwise; does not resolve when it
// reloads the page. Start the wasm worker only after it resolved.
export async function isolate_page() {
  const opt_out = new URLSearchParams(location.search).get('sw') === '0';
  const has_sw = 'serviceWorker' in navigator && self.isSecureContext;
  if (opt_out && has_sw) {
    const reg = await navigator.serviceWorker.getRegistration().catch(() => null);
    if (reg?.active?.scriptURL.endsWith(`/${SW_URL}`)) {
      await reg.unregister();
      if (navigator.serviceWorker.controller) return reload_once('the service worker that adds COOP/COEP is switched off (?sw=0) but still controlled this load; reload');
    }
  }
  if (self.crossOriginIsolated) {
    flag_clear();
    return '';
  }
  if (opt_out) {
    flag_clear();   // a reload spent on switching it off does not count against turning it on later
    return 'the service worker that would add COOP/COEP is switched off by ?sw=0';
  }
  // One core: one thread either way (the worker says so); no reload for nothing.
  if ((navigator.hardwareConcurrency || 1) < 2) return '';
  if (!('serviceWorker' in navigator)) return 'this browser offers no service workers, which could add COOP/COEP here';
  if (!self.isSecureContext) return 'service workers, which could add COOP/COEP, need https or localhost';

  const gave_up = 'a service worker added COOP/COEP, but the page did not become isolated after a reload';
  if (navigator.serviceWorker.controller) {
    // In control, yet not isolated: either this load is the reload and the
    // browser ignored the headers (give up), or the worker was installed in
    // another tab after this page had loaded (one reload fixes it).
    return reload_once(gave_up);
  }
  let reg;
  try {
    reg = await navigator.serviceWorker.register(SW_URL);
  } catch (e) {
    return `the service worker that adds COOP/COEP could not be registered: ${e?.message ?? e}`;
  }
  // A browser (or an automation tool) that blocks service workers may let
  // register() succeed without registering anything.
  if (!reg) return 'service workers are blocked here, so COOP/COEP cannot be added';
  // Active already but not in control: the page was loaded past it (a hard
  // reload bypasses service workers); a normal reload puts it in control.
  // Otherwise it claims this page when it activates.
  if (reg.active && !navigator.serviceWorker.controller) return reload_once(gave_up);
  if (!await controlled_within(CONTROL_TIMEOUT_MS)) {
    return 'the service worker that adds COOP/COEP did not start in time; reload the page for all cores';
  }
  return reload_once(gave_up);
}
