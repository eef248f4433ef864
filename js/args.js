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

// Transport bounds, not API rules (those live in the module): they keep a
// runaway argument from costing seconds to encode and decode.
const MAX_ARRAY = 100_000;
const MAX_BYTES = 64 << 20;

function replacer(_key, value) {
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'bigint':
    case 'symbol':
      return MARK[typeof value];
    case 'number':
      return Number.isFinite(value) ? value : MARK[String(value)];
    case 'string':
      return value.charCodeAt(0) === 0 ? '\u0000s' + value : value;
    case 'object':
      if (Array.isArray(value) && value.length > MAX_ARRAY) {
        throw invalid(`an array argument has ${value.length} entries, more than the ${MAX_ARRAY} any call takes`);
      }
  }
  return value;
}

// encodeArgs returns the JSON the module's Call takes.
export function encodeArgs(args) {
  let json;
  try {
    json = JSON.stringify(Array.from(args), replacer);
  } catch (e) {
    if (e && e.code) throw e;
    throw invalid(`arguments cannot be encoded: ${e && e.message}`);
  }
  if (json.length > MAX_BYTES) throw invalid(`arguments are ${json.length} characters long, more than ${MAX_BYTES}`);
  return json;
}
