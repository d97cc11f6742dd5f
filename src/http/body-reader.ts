import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { HttpError } from './errors-to-http';

/**
 * Reads a request body with a cap on both the bytes on the wire and the bytes after
 * decompression. Decompression streams through zlib and stops as soon as the output passes the
 * cap, so a gzip bomb costs at most `maxBytes` (plus one zlib chunk), never its expanded size.
 */
export async function readBoundedBody(req: IncomingMessage, maxBytes: number, rawEncodings: readonly string[] = []): Promise<Buffer> {
  const decoder = decoderFor(req.headers['content-encoding'], rawEncodings);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    decoder?.destroy();
    throw tooLarge(maxBytes);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let decoded = 0;
    let settled = false;
    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('aborted', onAbort);
      if (decoder) {
        decoder.removeAllListeners('data');
        decoder.on('error', () => {});
        decoder.destroy();
      }
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer): void => {
      raw += chunk.length;
      if (raw > maxBytes) return finish(tooLarge(maxBytes));
      if (!decoder) {
        chunks.push(chunk);
        return;
      }
      // Respect zlib's back-pressure so the compressed input does not pile up in memory.
      if (!decoder.write(chunk)) req.pause();
    };
    const onEnd = (): void => {
      if (decoder) decoder.end();
      else finish(undefined);
    };
    const onAbort = (): void => finish(new HttpError(400, 'request aborted by the client'));
    if (decoder) {
      decoder.on('drain', () => req.resume());
      decoder.on('data', (chunk: Buffer) => {
        decoded += chunk.length;
        if (decoded > maxBytes) finish(new HttpError(413, `decompressed request body exceeds ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      decoder.on('error', () => finish(new HttpError(400, 'invalid compressed request body')));
      decoder.on('end', () => finish(undefined));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('aborted', onAbort);
  });
}

/** Throws 415 for an encoding we do not decode (snappy belongs to protocols that mandate it, not here). */
function decoderFor(header: string | undefined, rawEncodings: readonly string[]): Gunzip | Inflate | undefined {
  const encoding = (header ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || rawEncodings.includes(encoding)) return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  throw new HttpError(415, `unsupported content-encoding "${encoding.slice(0, 32)}"`);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `request body exceeds ${maxBytes} bytes`);
}
