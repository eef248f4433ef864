// LocalConvError is how every failure reaches the app: a NIM error code and a
// message that names the parameter and what was wrong with it.
export class LocalConvError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'LocalConvError';
    this.code = code;
  }
}

export const ErrorCode = Object.freeze({
  INTERNAL: 190001, // storage failed; the call changed nothing
  CLOSED: 190002, // the service is closed, or not open yet
  INVALID_PARAMETER: 191004,
});

export const invalid = (message) => new LocalConvError(ErrorCode.INVALID_PARAMETER, message);

// toLocalConvError turns whatever crossed from the module ({code, message}) or
// went wrong in the wrapper into a LocalConvError.
export function toLocalConvError(e) {
  if (e instanceof LocalConvError) return e;
  if (e && typeof e === 'object' && typeof e.code === 'number') return new LocalConvError(e.code, String(e.message));
  return new LocalConvError(ErrorCode.INTERNAL, `internal error: ${e && e.message ? e.message : e}`);
}
