import { AsyncLocalStorage } from 'node:async_hooks';

/** Items an exporter reported dropped (`ctx.telemetry.dropped`) while handling one batch. */
export interface BatchDrops {
  dropped: number;
}

const current = new AsyncLocalStorage<BatchDrops>();

/**
 * Runs one export call with `drops` as the record of what the exporter drops during it. An
 * exporter that drops part of a batch itself (e.g. a request the backend refused for good) still
 * resolves, and the runtime must not count those items as sent too: accepted = sent + dropped.
 */
export function trackDrops<T>(drops: BatchDrops, call: () => T): T {
  return current.run(drops, call);
}

/** Called from an exporter's `ctx.telemetry.dropped`: charges the drop to the batch being exported, if any. */
export function noteExporterDrop(n: number): void {
  const drops = current.getStore();
  if (drops) drops.dropped += n;
}
