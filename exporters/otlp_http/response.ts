import { PermanentError } from '../../src/api';
import { isSuccess, retryableReply, type HttpReply } from '../../src/http/client';
import { readPartialSuccess, readRpcStatus, type PartialSuccess } from '../../src/otlp/encode';

/** Statuses the OTLP/HTTP spec says to retry; every other non-2xx is final. */
const RETRYABLE = new Set([429, 502, 503, 504]);

function isJson(reply: HttpReply): boolean {
  return /json/i.test(String(reply.headers['content-type'] ?? ''));
}

/** The start of an error body for messages: the Status message when the body is one, else printable text. */
export function errorText(reply: HttpReply): string {
  const json = isJson(reply);
  const protobuf = /protobuf/i.test(String(reply.headers['content-type'] ?? ''));
  if (json || protobuf) {
    const status = readRpcStatus(reply.body, json);
    if (status !== undefined && status.message !== '') return status.message.slice(0, 512);
  }
  // eslint-disable-next-line no-control-regex
  return reply.body.toString('utf8').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 512);
}

/**
 * Classifies an answer: 2xx resolves with its partial success (if any); 429/502/503/504 throw
 * RetryableError with the server's Retry-After; anything else throws PermanentError (the
 * runtime drops the batch and counts it).
 */
export function classify(reply: HttpReply, url: string, nowMs: number): PartialSuccess | undefined {
  const { status } = reply;
  if (isSuccess(status)) {
    const ps = readPartialSuccess(reply.body, isJson(reply));
    return ps !== undefined && ps.rejected > 0 ? ps : undefined;
  }
  const text = errorText(reply);
  const message = `${url} answered HTTP ${status}${text === '' ? '' : `: ${text}`}`;
  if (RETRYABLE.has(status)) throw retryableReply(message, reply, nowMs);
  throw new PermanentError(message);
}
