import { invalid } from './errors.js';

// Arguments cross to the module as one JSON array. JSON cannot say undefined,
// NaN, ±Infinity, a function, a BigInt or a Symbol, and the module must tell
// them apart to name the wrong type in its error (core/args.go decodes these
// markers). A real string that starts with U+0000 is escaped with "\0s".
const MARK = {
  undefined: '\u0000u',
  NaN: '\u0000N',
  Infinity: '\u0000I',
  '-Infinity': '\u0000i',
  function: '\u0000f',
  bigint: '\u0000b',
  symbol: '\u0000y',
};

// A boxed primitive (new Boolean(false)…) or a Date is "\0c" and its
// constructor's name; any other object with a toJSON method is "\0j": JSON
// would put what toJSON returns in its place, and a parameter takes the value
// itself, never a conversion of it.
const BOXED = '\u0000c';
const TO_JSON = '\u0000j';
// A string that is not well-formed UTF-16 (a lone surrogate) is "\0w" and the
// index of the first lone surrogate: the module keeps strings as UTF-8, which
// cannot hold one, so it refuses such a string rather than change it.
const ILL_FORMED = '\u0000w';

// Transport bounds, not API rules (those live in the module): they keep a
// runaway argument from costing seconds to encode and decode.
const MAX_ARRAY = 100_000;
const MAX_BYTES = 64 << 20;

// encodeArgs returns the JSON the module's Call takes. names are the method's
// parameter names, so that an argument the wrapper itself refuses (too large,
// circular, a getter that throws) is named in the error like any other.
export function encodeArgs(args, names = []) {
  const list = Array.from(args);
  const paramName = (i) => names[i] ?? `argument ${Number(i) + 1}`;
  // Where each object sits, for errors: the holder of a value is visited
  // before the value, so its path is known by then.
  const paths = new WeakMap([[list, '']]);
  function replacer(key, value) {
    // this[key] is the value before JSON.stringify called its toJSON.
    const raw = this[key];
    if (!Object.is(raw, value) || (typeof raw === 'object' && raw !== null && typeof raw.toJSON === 'function')) {
      return raw instanceof Date || raw instanceof String ? BOXED + raw.constructor.name : TO_JSON;
    }
    switch (typeof value) {
      case 'undefined':
      case 'function':
      case 'bigint':
      case 'symbol':
        return MARK[typeof value];
      case 'number':
        return Number.isFinite(value) ? value : MARK[String(value)];
      case 'string': {
        const bad = loneSurrogate(value);
        if (bad >= 0) return ILL_FORMED + bad;
        return value.charCodeAt(0) === 0 ? '\u0000s' + value : value;
      }
      case 'object': {
        if (value === null || value === list) return value;
        const holder = paths.get(this);
        const path = this === list ? paramName(key) : holder === undefined ? key : Array.isArray(this) ? `${holder}[${key}]` : `${holder}.${key}`;
        paths.set(value, path);
        if (Array.isArray(value) && value.length > MAX_ARRAY) {
          throw invalid(`${path} has ${value.length} entries, more than the ${MAX_ARRAY} any call takes`);
        }
        // JSON would unbox these silently; the contract wants the wrong type named.
        if (value instanceof Boolean || value instanceof Number || value instanceof String) {
          return BOXED + value.constructor.name;
        }
        // No parameter takes binary data, and JSON would spell out every byte.
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
          throw invalid(`${path} must not be ${value.constructor?.name ?? 'binary data'}`);
        }
        if (!Array.isArray(value)) {
          for (const k of Object.keys(value)) {
            if (loneSurrogate(k) >= 0) throw invalid(`${path} has a property name that is not well-formed UTF-16 (a lone surrogate)`);
          }
        }
      }
    }
    return value;
  }
  let json;
  try {
    json = JSON.stringify(list, replacer);
  } catch (e) {
    if (e && e.code) throw e;
    // Engines word a cycle differently (Firefox: "cyclic object value", WebKit: "JSON.stringify cannot serialize cyclic structures."); name it as Chromium does.
    throw invalid(`${culprit(list, paramName)} cannot be encoded: ${e && /cyclic/i.test(e.message) && !/circular/i.test(e.message) ? `circular structure (${e.message})` : e && e.message}`);
  }
  if (json.length > MAX_BYTES) throw invalid(`arguments are ${json.length} characters long, more than ${MAX_BYTES}`);
  return json;
}

// culprit names the first argument that JSON cannot encode on its own (a
// circular object, a getter that throws); only used on the error path.
function culprit(list, paramName) {
  for (let i = 0; i < list.length; i++) {
    try {
      JSON.stringify(list[i], (_k, v) => (typeof v === 'bigint' ? 0 : v));
    } catch {
      return paramName(i);
    }
  }
  return 'the arguments';
}

// loneSurrogate returns the index of the first lone surrogate in s, or -1 if
// s is well-formed UTF-16.
export function loneSurrogate(s) {
  if (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !SURROGATE.test(s)) return -1;
  LONE.lastIndex = 0;
  const m = LONE.exec(s);
  return m ? m.index : -1;
}
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
