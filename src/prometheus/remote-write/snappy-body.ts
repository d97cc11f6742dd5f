import { compressSync } from 'snappy';
import { malformed } from './proto-reader';

/**
 * The binding's default hands its Rust output vector (sized for the worst case, 1.17 x the input)
 * to V8 as an external buffer, freed by a finalizer only after a GC and a turn of the event loop:
 * every body then lands in fresh memory, and a burst of them page-faults its way through
 * gigabytes (measured: two thirds of the CPU of a synchronous encode + compress loop was kernel
 * time). Copying the compressed bytes out (a seventh of the input) frees the vector at once.
 */
const ENCODE_OPTIONS = { copyOutputData: true } as const;

/**
 * Snappy block format, as remote write mandates, on the calling thread. The binding's
 * asynchronous call was measured in a relay: its pool threads burned about as much CPU as the
 * compression itself, and the event loop saved nothing. Callers compress one body per turn of
 * the event loop, so the binding's memory is given back between bodies.
 */
export function compressBodySync(bytes: Uint8Array): Buffer {
  return compressSync(bytes, ENCODE_OPTIONS);
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
