/**
 * The error catalog. Every error Nissa raises on purpose carries a stable `code`.
 *
 * Data flow contract: a consumer that rejects with a {@link PermanentError} refuses bad data
 * (do not retry, do not trip a breaker); any other rejection is transient and travels back to
 * the receiver as back-pressure (HTTP 429/503 with Retry-After, the bus pauses).
 */
export type ErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_CONFIG_UNKNOWN_TYPE'
  | 'ERR_PLUGIN_LOAD'
  | 'ERR_CIRCUIT_OPEN'
  | 'ERR_TIMEOUT'
  | 'ERR_RETRYABLE'
  | 'ERR_PERMANENT'
  | 'ERR_SHUTTING_DOWN'
  | 'ERR_QUEUE_FULL'
  | 'ERR_OVERLOADED';

export class NissaError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Transient refusal: the caller may retry later, after `retryAfterMs` when given. */
export class RetryableError extends NissaError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs?: number; code?: ErrorCode } = {}) {
    super(options.code ?? 'ERR_RETRYABLE', message);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Refusal of bad data: retrying the same data cannot succeed. Never trips a circuit breaker. */
export class PermanentError extends NissaError {
  constructor(message: string) {
    super('ERR_PERMANENT', message);
  }
}

/** Raised by the runtime while a stage's breaker is open: fail fast, retry later. */
export class CircuitOpenError extends RetryableError {
  constructor(stage: string, retryAfterMs: number) {
    super(`circuit breaker of ${stage} is open`, { retryAfterMs, code: 'ERR_CIRCUIT_OPEN' });
  }
}

export function isPermanent(err: unknown): boolean {
  return err instanceof PermanentError;
}

/** The retry hint of an error, in milliseconds, if it carries one. */
export function retryAfterOf(err: unknown): number | undefined {
  return err instanceof RetryableError ? err.retryAfterMs : undefined;
}
