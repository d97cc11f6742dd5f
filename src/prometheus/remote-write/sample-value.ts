import { isStaleMarker, STALE_NAN } from '../../api';
import type { ProtoWriter } from '../../wire/proto-writer';

/** Little-endian bytes of Prometheus's staleness marker and of its "normal" NaN. */
const STALE_BYTES = Uint8Array.of(0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f);
const NORMAL_NAN_BYTES = Uint8Array.of(0x01, 0, 0, 0, 0, 0, 0xf8, 0x7f);

/**
 * Writes a sample value. NaNs are written as explicit bit patterns: JavaScript engines may
 * canonicalise NaN payloads when a double passes through a float store, and the stale marker
 * lives in that payload.
 */
export function writeSampleValue(w: ProtoWriter, v: number): void {
  if (v === v) w.double(v);
  else w.bytes(isStaleMarker(v) ? STALE_BYTES : NORMAL_NAN_BYTES);
}

/** Reads the sample value at byte `p` of `view`; the stale marker comes back as the model's STALE_NAN. */
export function readSampleValue(view: DataView, p: number): number {
  const low = view.getUint32(p, true);
  const high = view.getUint32(p + 4, true);
  // Any NaN is read through its bits: only the stale marker's payload is kept, as STALE_NAN.
  if (low === 2 && high === 0x7ff00000) return STALE_NAN;
  return view.getFloat64(p, true);
}
