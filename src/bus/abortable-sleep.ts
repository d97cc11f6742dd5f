import type { Clock } from '../api';

/** Waits `ms` on `clock`, or less when `signal` aborts (a shutdown); never rejects. */
export function abortableSleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clock.clear(handle);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const handle = clock.setTimeout(done, ms);
    handle.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}
