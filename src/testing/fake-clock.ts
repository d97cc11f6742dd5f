import type { Clock, TimerHandle } from '../api/clock';

interface Timer {
  at: number;
  fn: () => void;
  every: number | undefined;
  id: number;
}

/** A clock that moves only when told to: timers fire in order inside {@link advance}. */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  clear(handle: TimerHandle): void {
    const id = (handle as unknown as { id: number }).id;
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Moves time forward by `ms`, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const t = this.timers[0];
      if (!t || t.at > target) break;
      this.current = t.at;
      if (t.every !== undefined) t.at += t.every;
      else this.timers.shift();
      t.fn();
    }
    this.current = target;
  }

  /** Advances time and lets promise callbacks run between timer firings. */
  async tick(ms: number, stepMs = ms): Promise<void> {
    for (let done = 0; done < ms; done += stepMs) {
      this.advance(Math.min(stepMs, ms - done));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  private add(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const t: Timer = { at: this.current + Math.max(0, ms), fn, every, id: this.nextId++ };
    this.timers.push(t);
    return { id: t.id, unref() {} } as unknown as TimerHandle;
  }
}
