import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAnswer } from './receiver-server';

/** Bytes of an unread request body we discard to answer cleanly before closing the connection. */
const LINGER_BYTES = 256 * 1024;
/** How long a client may keep sending an unwanted body after its answer before we cut it off. */
const LINGER_MS = 2_000;

/**
 * Writes `answer` to `res`. When the request body was not (fully) read — refused before reading,
 * or over the size cap — the rest is discarded up to a small bound, then the socket is destroyed:
 * closing at once would reset the connection before the client reads its 413, and reading on
 * would let a client make us swallow gigabytes.
 */
export function writeAnswer(req: IncomingMessage, res: ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  if (!req.complete) lingerThenClose(req, res);
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.contentType !== undefined) res.setHeader('Content-Type', answer.contentType);
  const body = answer.body === undefined ? undefined : typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  res.setHeader('Content-Length', body?.length ?? 0);
  res.end(body);
}

function lingerThenClose(req: IncomingMessage, res: ServerResponse): void {
  let drained = 0;
  const cut = (): void => {
    if (!req.complete) req.socket.destroy();
  };
  // Attached before the answer is written, so node does not start its own unbounded dump.
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > LINGER_BYTES) cut();
  });
  req.on('error', () => {});
  req.resume();
  res.once('finish', () => {
    // Real time on purpose: this bounds a socket, not data, and must fire even under a fake clock.
    setTimeout(cut, LINGER_MS).unref();
  });
}

/** The media type of a Content-Type header: lower-cased, without parameters. */
export function mediaTypeOf(header: string | undefined): string {
  if (!header) return '';
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}
