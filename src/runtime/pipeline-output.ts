import type { Consumer, Output } from '../api/consumer';
import { PermanentError } from '../api/errors';
import type { Signal } from '../api/signals';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';
import { FanOut } from './fan-out';
import type { StageStats } from './stage-stats';

/**
 * The Output of a receiver or connector: fans each batch out to the entries of the pipelines that
 * list the component for the batch's signal. Entries are looked up lazily, so pipelines can be
 * wired in any order (connectors feed pipelines built after them).
 */
export class PipelineOutput implements Output {
  readonly signals: readonly Signal[];
  private readonly fanOuts = new Map<Signal, Consumer>();

  constructor(
    private readonly componentId: string,
    private readonly pipelinesBySignal: ReadonlyMap<Signal, readonly string[]>,
    private readonly entries: ReadonlyMap<string, Consumer>,
    /** Receivers count here what their pipelines accepted and refused; connectors count at their stage. */
    private readonly stats: StageStats | undefined,
    private readonly onBatch?: (signal: Signal, items: number) => void,
    /** Conservative mode's processing delay, applied before each batch; undefined or 0 = none. */
    private readonly delayMs?: () => number,
    private readonly pause?: (ms: number) => Promise<void>,
  ) {
    this.signals = [...pipelinesBySignal.keys()];
  }

  pipelines(signal: Signal): readonly string[] {
    return this.pipelinesBySignal.get(signal) ?? [];
  }

  consume(batch: Batch): Promise<void> {
    const target = this.fanOutFor(batch.signal);
    if (!target) return Promise.reject(new PermanentError(`${this.componentId} feeds no ${batch.signal} pipeline`));
    return this.counted(batch, target);
  }

  consumeTo(pipelineId: string, batch: Batch): Promise<void> {
    const entry = this.pipelines(batch.signal).includes(pipelineId) ? this.entries.get(pipelineId) : undefined;
    if (!entry) return Promise.reject(new PermanentError(`${this.componentId} does not feed pipeline ${pipelineId} with ${batch.signal}`));
    return this.counted(batch, entry);
  }

  private counted(batch: Batch, target: Consumer): Promise<void> {
    const delay = this.delayMs?.() ?? 0;
    if (delay > 0 && this.pause) return this.pause(delay).then(() => this.deliver(batch, target));
    return this.deliver(batch, target);
  }

  private deliver(batch: Batch, target: Consumer): Promise<void> {
    const stats = this.stats;
    const n = batchSize(batch);
    this.onBatch?.(batch.signal, n);
    if (!stats) return target.consume(batch);
    return target.consume(batch).then(
      () => {
        stats.accepted += n;
      },
      (err: unknown) => {
        stats.refused += n;
        throw err;
      },
    );
  }

  private fanOutFor(signal: Signal): Consumer | undefined {
    let f = this.fanOuts.get(signal);
    if (f) return f;
    const ids = this.pipelinesBySignal.get(signal);
    if (!ids || ids.length === 0) return undefined;
    f = new FanOut(ids.map((id) => lazyEntry(this.entries, id)));
    this.fanOuts.set(signal, f);
    return f;
  }
}

function lazyEntry(entries: ReadonlyMap<string, Consumer>, id: string): Consumer {
  let resolved: Consumer | undefined;
  return {
    consume(batch: Batch): Promise<void> {
      resolved ??= entries.get(id);
      if (!resolved) return Promise.reject(new PermanentError(`pipeline ${id} is not wired`));
      return resolved.consume(batch);
    },
  };
}
