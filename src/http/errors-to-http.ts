/**
 * Maps an error raised while handling a request (by a route handler or by the pipeline behind it)
 * to an HTTP status. Mapping is by the error catalog `code`, so it also works for errors built by
 * another copy of the API module (a user plugin bundling its own).
 */
export interface HttpErrorStatus {
  status: number;
  retryAfterSeconds?: number;
  message: string;
}

/** An error that already knows its HTTP status (raised inside the HTTP layer and by handlers). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Back-pressure: the client should slow down and retry. */
const TOO_MANY = new Set(['ERR_QUEUE_FULL', 'ERR_OVERLOADED', 'ERR_RETRYABLE']);
/** Temporarily unavailable: a breaker is open, the collector stops, a stage timed out. */
const UNAVAILABLE = new Set(['ERR_CIRCUIT_OPEN', 'ERR_SHUTTING_DOWN', 'ERR_TIMEOUT']);

export function httpStatusForError(err: unknown): HttpErrorStatus {
  if (err instanceof HttpError) {
    return err.retryAfterSeconds === undefined
      ? { status: err.status, message: err.message }
      : { status: err.status, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  }
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_PERMANENT') return { status: 400, message };
  if (code !== undefined && (TOO_MANY.has(code) || UNAVAILABLE.has(code))) {
    return { status: TOO_MANY.has(code) ? 429 : 503, retryAfterSeconds: retryAfterSeconds(err), message };
  }
  // Unexpected: the details stay in the log, the client gets a generic message.
  return { status: 500, message: 'internal error' };
}

/** Whether the status is the server's fault (logged) rather than the client's or a transient state. */
export function isUnexpectedStatus(status: number): boolean {
  return status === 500;
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function retryAfterSeconds(err: unknown): number {
  const ms = (err as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return 1;
  return Math.max(1, Math.ceil(ms / 1000));
}
