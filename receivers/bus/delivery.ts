import { isPermanent, retryAfterOf, type ReceiverContext } from '../../src/api';
import { abortableSleep } from '../../src/bus/abortable-sleep';
import type { BusReceiverConfig, BusTimings } from './config';
import { refsOf, type Chunk, type DecodedChunk, type EntryRefs, type PlannedRead, type Poison, type SignalBatch } from './decode-read';
import type { GroupOps } from './group-ops';
import { AckBatch } from './ack-batch';

/** A batch in the pipelines (or waiting to be offered again) whose entries are not acknowledged yet. */
interface InFlight {
  since: number;
  readonly refs: readonly EntryRefs[];
}

/** How an offer of a batch ended. */
type Offer = 'accepted' | 'dead_lettered' | 'stopped';

/**
 * Hands decoded reads to the pipelines and settles their entries: XACK once the pipelines
 * accepted (at least once), offer again after a backoff while they refuse (the entries stay
 * pending), dead-letter poison entries once delivered `max_deliveries` times.
 */
export class Delivery {
  private readonly inFlight = new Set<InFlight>();

  constructor(
    private readonly ctx: ReceiverContext<BusReceiverConfig>,
    private readonly ops: GroupOps,
    private readonly timings: BusTimings,
    private readonly stop: AbortSignal,
  ) {}

  /**
   * Settles one read, chunk by chunk: a chunk is decoded once the previous one was accepted (or
   * dead-lettered), so only one chunk's items are alive at a time; acknowledgements are gathered
   * ({@link AckBatch}). `fresh`: the entries were read with `>` (delivered once so far).
   */
  async deliver(read: PlannedRead, fresh: boolean, decode: (chunk: Chunk) => DecodedChunk): Promise<void> {
    const acks = new AckBatch((refs) => this.ack(refs));
    acks.add(read.empty);
    const poison = [...read.poison];
    // Entries of chunks waiting behind a refused one are held too: nobody may claim them meanwhile.
    const since = this.ctx.clock.now();
    const flights = read.chunks.map((c): InFlight => ({ since, refs: refsOf(c.parts) }));
    for (const f of flights) this.inFlight.add(f);
    try {
      for (let k = 0; k < read.chunks.length; k++) {
        if ((await this.deliverChunk(decode(read.chunks[k]!), flights[k]!, poison, acks)) === 'stopped') break;
      }
      acks.flush();
      await Promise.all([...acks.sent, this.settlePoison(poison, fresh)]);
    } catch (err) {
      // Acknowledge what the pipelines accepted before the failure, or it is delivered again.
      acks.flush();
      await Promise.allSettled(acks.sent);
      throw err;
    } finally {
      for (const f of flights) this.inFlight.delete(f);
    }
  }

  /** Entries held longer than half of `min_idle_time`: touched so that nobody claims them. */
  held(nowMs: number): EntryRefs[] {
    const out: EntryRefs[] = [];
    for (const f of this.inFlight) {
      if (nowMs - f.since < this.timings.minIdleMs / 2) continue;
      f.since = nowMs;
      out.push(...f.refs);
    }
    return out;
  }

  /** Offers a decoded chunk; its acknowledgements (and poison) are added to what the read settles. */
  private async deliverChunk(d: DecodedChunk, flight: InFlight, poison: Poison[], acks: AckBatch): Promise<Offer> {
    for (const [reason, n] of d.drops) this.ctx.telemetry.dropped(n, reason);
    for (const p of d.poison) poison.push(p);
    acks.add(d.empty);
    if (d.batch === undefined) return 'accepted';
    const outcome = await this.offer(d.batch, acks);
    if (outcome === 'accepted') acks.add(d.batch.refs, () => this.inFlight.delete(flight));
    return outcome;
  }

  /**
   * Offers until accepted; `stopped` when stopping first (entries stay pending for a claim). At
   * the first refusal the acknowledgements gathered so far are sent: they must not wait for this.
   */
  private async offer(b: SignalBatch, acks: AckBatch): Promise<Offer> {
    let delay = this.timings.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ctx.output.consume(b.batch);
        if (attempt > 1) this.ctx.logger.info('pipelines accepted a refused batch', { signal: b.signal, items: b.items, attempts: attempt });
        return 'accepted';
      } catch (err) {
        if (isPermanent(err)) {
          await this.deadLetter(b.refs.flatMap(({ entries, index }) => index.map((i) => ({ entries, index: i, error: `refused by the pipelines: ${(err as Error).message}` }))), () => 1);
          return 'dead_lettered';
        }
        if (attempt === 1) {
          acks.flush();
          this.ctx.logger.warn('pipelines refused a batch; its entries stay pending and are offered again', { signal: b.signal, items: b.items, error: (err as Error).message });
        }
        if (this.stop.aborted) return 'stopped';
        await abortableSleep(this.ctx.clock, Math.min(this.timings.retryMaxMs, Math.max(delay, retryAfterOf(err) ?? 0)), this.stop);
        if (this.stop.aborted) return 'stopped';
        delay = Math.min(delay * 2, this.timings.retryMaxMs);
      }
    }
  }

  /** Poison delivered `max_deliveries` times goes to the dead-letter stream; the rest waits to be claimed again. */
  private async settlePoison(poison: readonly Poison[], fresh: boolean): Promise<void> {
    if (poison.length === 0) return;
    const counts = fresh ? undefined : await this.countsOf(poison);
    const countOf = (p: Poison): number => counts?.get(key(p)) ?? 1;
    const due = poison.filter((p) => countOf(p) >= this.ctx.config.max_deliveries);
    if (due.length < poison.length) {
      this.ctx.logger.warn('undecodable entries left pending until they reach max_deliveries', { entries: poison.length - due.length, first_error: poison[0]!.error });
    }
    await this.deadLetter(due, countOf);
  }

  private async deadLetter(poison: readonly Poison[], countOf: (p: Poison) => number): Promise<void> {
    if (poison.length === 0) return;
    try {
      await this.ops.deadLetter(poison, countOf);
      this.ctx.telemetry.dropped(poison.length, 'dead_lettered');
      this.ctx.logger.warn('entries moved to the dead-letter stream', { entries: poison.length, stream: this.ctx.config.dead_letter_stream, first_error: poison[0]!.error });
    } catch (err) {
      this.ctx.logger.error('dead-lettering failed; the entries stay pending', { entries: poison.length, error: (err as Error).message });
    }
  }

  private async countsOf(poison: readonly Poison[]): Promise<Map<string, number>> {
    const byStream = new Map<string, Buffer[]>();
    for (const p of poison) {
      const list = byStream.get(p.entries.stream) ?? [];
      list.push(p.entries.ids[p.index]!);
      byStream.set(p.entries.stream, list);
    }
    const out = new Map<string, number>();
    for (const [stream, ids] of byStream) {
      for (const [id, n] of await this.ops.deliveryCounts(stream, ids)) out.set(`${stream}\n${id}`, n);
    }
    return out;
  }

  private async ack(refs: readonly EntryRefs[]): Promise<void> {
    try {
      await this.ops.ack(refs);
    } catch (err) {
      // The entries stay pending and will be delivered again: at least once, never lost.
      this.ctx.logger.warn('XACK failed; the entries will be delivered again', { error: (err as Error).message });
    }
  }
}

function key(p: Poison): string {
  return `${p.entries.stream}\n${p.entries.ids[p.index]!.toString()}`;
}
