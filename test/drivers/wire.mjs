// What the WebDriver-based drivers (firefox.mjs, webkit.mjs) need to look like
// Playwright to the tests: a function and its argument carried into the page
// and the result carried back with what Playwright keeps and JSON drops
// (undefined, NaN, ±Infinity, -0, Date, BigInt), and the page's uncaught errors
// and live dedicated workers, which the protocols these drivers speak do not
// report the way Playwright does.
//
// Every piece of code that runs in the page is a self-contained function whose
// source is sent; nothing in the page calls eval or new Function, so a page
// with a strict CSP (test/pages/csp.html) can be driven too.

// encode turns a value into JSON text, tagging what JSON cannot say. An
// object whose own keys start with '$' is wrapped so it is not mistaken for a tag.
export function encode(value) {
  const seen = new Set();
  const walk = (v) => {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return { $u: 1 };
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $n: 'NaN' };
      if (v === Infinity) return { $n: 'Infinity' };
      if (v === -Infinity) return { $n: '-Infinity' };
      if (Object.is(v, -0)) return { $n: '-0' };
      return v;
    }
    if (typeof v === 'bigint') return { $b: String(v) };
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return { $u: 1 };
    if (v instanceof Date) return { $d: v.getTime() };
    if (v instanceof RegExp) return { $r: [v.source, v.flags] };
    if (v instanceof Error) return { $e: [v.name, v.message, String(v.stack)] };
    seen.add(v);
    let out;
    if (Array.isArray(v)) out = Array.from(v, walk);
    else {
      out = {};
      for (const k of Object.keys(v)) out[k] = walk(v[k]);
      if (Object.keys(out).some((k) => k[0] === '$')) out = { $o: out };
    }
    seen.delete(v);
    return out;
  };
  return JSON.stringify(walk(value));
}

// decode is encode's inverse.
export function decode(text) {
  const walk = (v) => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    if ('$u' in v) return undefined;
    if ('$n' in v) return v.$n === '-0' ? -0 : Number(v.$n);
    if ('$b' in v) return BigInt(v.$b);
    if ('$d' in v) return new Date(v.$d);
    if ('$r' in v) return new RegExp(v.$r[0], v.$r[1]);
    if ('$e' in v) {
      const e = new Error(v.$e[1]);
      e.name = v.$e[0];
      e.stack = v.$e[2];
      return e;
    }
    const src = '$o' in v ? v.$o : v;
    const out = {};
    for (const k of Object.keys(src)) out[k] = walk(src[k]);
    return out;
  };
  return walk(JSON.parse(text));
}

// trap runs in every page before the tests' own helpers: it keeps the page's
// uncaught errors, unhandled rejections and console.error calls (what
// Playwright reports as 'pageerror' and console errors), and the dedicated
// workers the page has alive (what Playwright's page.workers() lists).
export function trap() {
  if (globalThis.__drv) return;
  const errors = [];
  const workers = new Map();
  globalThis.__drv = { errors, workers, slots: new Map(), seq: 0 };
  // Only what the page left unhandled, as a browser reports it: an error
  // event the page's own listener cancelled (preventDefault) is not one.
  // These listeners run first, so they look once the dispatch is over.
  const unhandled = (e, what) => queueMicrotask(() => {
    if (!e.defaultPrevented) errors.push(String(what && what.message !== undefined ? what.message : what));
  });
  addEventListener('error', (e) => unhandled(e, e.error && e.error.message !== undefined ? e.error : e.message));
  addEventListener('unhandledrejection', (e) => unhandled(e, e.reason));
  const consoleError = console.error;
  console.error = function (...args) {
    errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    return consoleError.apply(this, args);
  };
  const NativeWorker = globalThis.Worker;
  if (NativeWorker) {
    const W = class Worker extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        workers.set(this, String(new URL(url, location.href)));
      }
      terminate() {
        workers.delete(this);
        return super.terminate();
      }
    };
    globalThis.Worker = W;
  }
}

// run builds the source of an async function that takes the encoded argument
// and resolves to the encoded outcome: {ok} or {err: [name, message, stack]},
// with diag (errors since the last call, live workers).
export function runSource(fn) {
  const src = typeof fn === 'function' ? fn.toString() : String(fn);
  return `async (arg) => {
  const encode = ${encode.toString()};
  const decode = ${decode.toString()};
  const diag = () => {
    const d = globalThis.__drv;
    return d ? { errors: d.errors.splice(0), workers: [...d.workers.values()] } : { errors: [], workers: [] };
  };
  let out;
  try {
    const f = (
${src}
    );
    const v = typeof f === 'function' ? await f(decode(arg)) : await f;
    out = { ok: encode(v) };
  } catch (e) {
    out = { err: [String(e && e.name), String(e && e.message !== undefined ? e.message : e), String(e && e.stack)] };
  }
  out.diag = diag();
  return JSON.stringify(out);
}`;
}

// settle turns run's outcome into evaluate's: the value, or a thrown Error
// as Playwright throws it; diag goes to the page object.
export function settle(page, text) {
  const out = JSON.parse(text);
  page.absorb(out.diag);
  if (out.err) {
    const e = new Error(`page.evaluate: ${out.err[0]}: ${out.err[1]}`);
    e.pageStack = out.err[2];
    throw e;
  }
  return decode(out.ok);
}

// PageBase is what both drivers' pages share: errors and workers as
// Playwright's page has them, waitForFunction, title.
export class PageBase {
  constructor() {
    this.errors = [];
    this.liveWorkers = [];
    this.closed = false;
  }

  absorb(diag) {
    if (!diag) return;
    for (const m of diag.errors) this.errors.push(new Error(m));
    this.liveWorkers = diag.workers;
  }

  // workers lists the page's dedicated workers as of the end of the last
  // evaluate (Playwright's list is live; the tests read it right after one).
  workers() {
    return this.liveWorkers.map((u) => ({ url: () => u }));
  }

  isClosed() { return this.closed; }

  title() { return this.evaluate(() => document.title); }

  // waitForFunction(fn, arg, {timeout, polling}) as Playwright's: resolves
  // once fn(arg) is truthy in the page.
  async waitForFunction(fn, arg, { timeout = 30_000, polling = 50 } = {}) {
    const deadline = Date.now() + timeout;
    const src = typeof fn === 'function' ? fn.toString() : `() => (${fn})`;
    const check = `(arg) => { const f = (\n${src}\n); return !!f(arg); }`;
    for (;;) {
      if (await this.evaluate(check, arg)) return true;
      if (Date.now() > deadline) throw new Error(`page.waitForFunction: timeout ${timeout} ms exceeded: ${src.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, polling));
    }
  }
}
