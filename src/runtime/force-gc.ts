import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full, compacting garbage collection, as the OpenTelemetry Collector's memory limiter forces
 * one when over its limit. Resident memory only falls once garbage is collected: V8 keeps the pages
 * of a grown heap, and typed arrays' buffers (where metric batches keep their columns) are freed
 * only when their arrays are collected. Without it, a drained collector can sit above the
 * hysteresis threshold, and so in emergency, indefinitely. Blocks for tens of milliseconds: call it
 * while refusing data anyway, or rarely (the load supervisor spaces its calls for the soft limit).
 */
export function forceGc(): void {
  gc ??= (globalThis as { gc?: () => void }).gc ?? exposeGc();
  gc();
}

function exposeGc(): () => void {
  // The flag only takes effect for contexts created after it is set, hence the new context.
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
