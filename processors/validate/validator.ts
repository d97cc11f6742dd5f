import { batchSize } from '../../src/api';
import type { Batch, ConsumingInstance, MetricBatch, ProcessorContext } from '../../src/api';
import { filterBatch, invertMask } from '../../src/processing/batch-filter';
import { deadLetters } from '../../src/processing/dead-letter';
import { ReasonCounts } from '../../src/processing/reason-counts';
import { SeriesCache } from '../../src/processing/series-cache';
import type { ValidateConfig } from './config';
import { REASONS, VALID } from './reasons';
import { Rules } from './rules';

/**
 * Checks every item against the rules; valid items go on (the same batch when all are valid),
 * invalid ones are dropped or dead-lettered, counted by reason. Series rules are evaluated once per
 * series id and cached (stamped with the series generation), so the per-point work is the value
 * and timestamp checks on the typed arrays.
 */
export class Validator implements ConsumingInstance {
  private readonly rules: Rules;
  private readonly verdicts: SeriesCache;
  private readonly invalid: ReasonCounts;
  private readonly channel: string;

  constructor(private readonly ctx: ProcessorContext<ValidateConfig>) {
    this.rules = new Rules(ctx.config);
    this.verdicts = new SeriesCache(ctx.series);
    this.invalid = new ReasonCounts(ctx.meter, 'nissa_processor_validate_invalid_items', 'Invalid items, by reason.', ctx.telemetry);
    this.channel = ctx.config.dead_letter_channel || ctx.id;
  }

  async consume(batch: Batch): Promise<void> {
    // Counted per call: a batch refused downstream comes again and is checked (and counted) again,
    // and concurrent calls must not mix their counts.
    const tally = new Uint32Array(REASONS.length);
    const keep = this.check(batch, tally);
    if (keep === undefined) return this.ctx.next.consume(batch);
    const valid = filterBatch(batch, keep);
    if (batchSize(valid) > 0) await this.ctx.next.consume(valid);
    await this.disposeInvalid(batch, keep, tally);
  }

  /** Returns undefined when every item is valid, else the keep mask; counts reasons in `tally`. */
  private check(batch: Batch, tally: Uint32Array): Uint8Array | undefined {
    const now = this.ctx.clock.now();
    if (batch.signal === 'metrics') return this.checkMetrics(batch, now, tally);
    const n = batch.items.length;
    let keep: Uint8Array | undefined;
    for (let i = 0; i < n; i++) {
      let r = VALID;
      if (batch.signal === 'events') r = this.rules.event(batch.items[i]!, now);
      else if (batch.signal === 'alerts') r = this.rules.alert(batch.items[i]!);
      if (r === VALID) continue;
      keep ??= new Uint8Array(n).fill(1);
      keep[i] = 0;
      tally[r]!++;
    }
    return keep;
  }

  private checkMetrics(batch: MetricBatch, now: number, tally: Uint32Array): Uint8Array | undefined {
    const { series, timestamps, values, complex, length } = batch;
    const rules = this.rules;
    let keep: Uint8Array | undefined;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      let r = this.verdicts.get(id);
      if (r < 0) {
        const info = this.ctx.series.info(id);
        r = rules.series(info.name, info.labels);
        this.verdicts.set(id, r);
      }
      if (r === VALID) r = rules.value(values[i]!, complex !== undefined && complex[i] !== undefined);
      if (r === VALID) r = rules.timestamp(timestamps[i]!, now);
      if (r === VALID) continue;
      keep ??= new Uint8Array(length).fill(1);
      keep[i] = 0;
      tally[r]!++;
    }
    return keep;
  }

  private async disposeInvalid(batch: Batch, keep: Uint8Array, tally: Uint32Array): Promise<void> {
    for (let r = 1; r < tally.length; r++) {
      if (tally[r]! > 0) this.invalid.add(REASONS[r]!, tally[r]!);
    }
    if (this.ctx.config.on_invalid === 'drop') {
      this.invalid.flushDropped();
      return;
    }
    const count = this.invalid.total;
    this.invalid.flushCounted();
    const rejected = filterBatch(batch, invertMask(keep, batchSize(batch)));
    try {
      const taken = await deadLetters.publish(this.channel, rejected, this.ctx.id);
      this.ctx.telemetry.dropped(count, taken ? 'dead_lettered' : 'dead_letter_unavailable');
    } catch (err) {
      // Valid items were accepted downstream already; refusing now would make the sender retry
      // them too. The dead-letter path's refusal is counted and logged instead.
      this.ctx.telemetry.dropped(count, 'dead_letter_refused');
      this.ctx.logger.warn('dead-letter channel refused invalid items', { channel: this.channel, items: count, error: String(err) });
    }
  }
}
