import type Redis from 'ioredis';
import type { EntryRefs, Poison } from './decode-read';

/**
 * The consumer group's bookkeeping commands (XACK, XPENDING, XCLAIM, dead-lettering), sent on the
 * command connection: the read connection is busy with blocking reads.
 */
export class GroupOps {
  constructor(
    private readonly redis: Redis,
    readonly group: string,
    readonly consumer: string,
    private readonly deadLetterStream: string,
  ) {}

  /** Creates the group on every stream (MKSTREAM); an existing group is left as it is. */
  async ensureGroups(streams: readonly string[], startId: string): Promise<void> {
    for (const stream of streams) {
      try {
        await this.redis.xgroup('CREATE', stream, this.group, startId, 'MKSTREAM');
      } catch (err) {
        if (!/BUSYGROUP/.test((err as Error).message)) throw err;
      }
    }
  }

  /**
   * Acknowledges entries in bulk: one XACK per stream, all in one round trip. Ids go as strings:
   * ioredis writes a command with Buffer arguments piece by piece (several native calls per
   * argument), one with strings as a single string, which for thousands of ids costs far less.
   */
  async ack(refs: readonly EntryRefs[]): Promise<void> {
    if (refs.length === 0) return;
    const p = this.redis.pipeline();
    for (const { entries, index } of refs) p.xack(entries.stream, this.group, ...index.map((i) => entries.ids[i]!.toString('latin1')));
    throwFirst(await p.exec());
  }

  /**
   * Resets the idle time of entries this instance still works on (a batch refused for longer
   * than `min_idle_time`), so that other instances do not claim them. JUSTID: no new delivery.
   */
  async touch(refs: readonly EntryRefs[]): Promise<void> {
    const p = this.redis.pipeline();
    for (const { entries, index } of refs) p.xclaim(entries.stream, this.group, this.consumer, 0, ...index.map((i) => entries.ids[i]!), 'JUSTID');
    throwFirst(await p.exec());
  }

  /** How many times each entry was delivered (XPENDING per id), by id; entries no longer pending are absent. */
  async deliveryCounts(stream: string, ids: readonly Buffer[]): Promise<Map<string, number>> {
    const p = this.redis.pipeline();
    for (const id of ids) p.xpending(stream, this.group, id, id, 1);
    const out = new Map<string, number>();
    for (const [err, rows] of (await p.exec()) ?? []) {
      if (err) throw err;
      for (const [id, , , count] of rows as [string, string, number, number][]) out.set(id, Number(count));
    }
    return out;
  }

  /** Moves poison entries to the dead-letter stream and acknowledges them, atomically. */
  async deadLetter(poison: readonly Poison[], deliveries: (p: Poison) => number): Promise<void> {
    if (poison.length === 0) return;
    const m = this.redis.multi();
    for (const p of poison) {
      const payload = p.entries.payloads[p.index];
      m.xadd(this.deadLetterStream, '*',
        'stream', p.entries.stream, 'id', p.entries.ids[p.index]!, 'group', this.group, 'consumer', this.consumer,
        'error', p.error, 'deliveries', String(deliveries(p)), 'payload', payload ?? Buffer.alloc(0));
      m.xack(p.entries.stream, this.group, p.entries.ids[p.index]!);
    }
    throwFirst(await m.exec());
  }
}

function throwFirst(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('transaction discarded');
  for (const [err] of results) if (err) throw err;
}
