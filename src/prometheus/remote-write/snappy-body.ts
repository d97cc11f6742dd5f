import { compress, uncompress } from 'snappy';
import { malformed } from './proto-reader';

/**
 * Snappy block format, as remote write mandates. The async functions run in libuv's pool and
 * let the event loop turn between bodies, which native snappy needs to release its buffers.
 */
export function compressBody(bytes: Uint8Array): Promise<Buffer> {
  return compress(bytes);
}

/** The uncompressed length a snappy block declares in its varint header (read before inflating). */
export function snappyUncompressedLength(block: Uint8Array): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const b = block[i]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return v;
    mul *= 128;
  }
  throw malformed('invalid snappy header');
}

/** Inflates a snappy block; the caller checked {@link snappyUncompressedLength} against its bound. */
export async function uncompressBody(block: Uint8Array): Promise<Buffer> {
  try {
    return (await uncompress(block, { asBuffer: true })) as Buffer;
  } catch {
    throw malformed('invalid snappy data');
  }
}
