import { RetryableError } from '../../api';
import { RequestTimeoutError, type HttpReply } from './http-client';
import { retryAfterMs } from './retry-after';

/** A 2xx answer: the request was delivered. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A refusal to retry later, with the server's Retry-After as the hint when it sent one. */
export function retryableReply(message: string, reply: HttpReply, nowMs: number): RetryableError {
  const after = retryAfterMs(reply.headers['retry-after'], nowMs);
  return new RetryableError(message, after === undefined ? {} : { retryAfterMs: after });
}

/** A transport failure (no answer): always retryable; a timeout carries ERR_TIMEOUT. */
export function transportError(message: string, err: unknown): RetryableError {
  return new RetryableError(message, err instanceof RequestTimeoutError ? { code: 'ERR_TIMEOUT' } : {});
}
