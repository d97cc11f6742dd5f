import { alertBatch, eventBatch, withSeries } from '../../src/api';
import type { AlertNotification, AttributeValue, Attributes, Batch, ConsumingInstance, Labels, MetricBatch, ProcessorContext, TelemetryEvent } from '../../src/api';
import { compileGlob } from '../../src/processing/glob';
import { compileActions } from './actions';
import type { Action } from './actions';
import { attributeCodec, labelCodec } from './codecs';
import type { EnrichConfig } from './config';
import { SeriesRemap } from './series-remap';

/**
 * Applies label/attribute actions. For metrics the edit depends only on the series, so it runs
 * once per series id: the new labels are interned as a new series and the old -> new id mapping
 * is cached; a batch is then rewritten by swapping its series column (other columns shared,
 * nothing mutated). A batch whose series all map to themselves is passed on as is.
 */
export class Enricher implements ConsumingInstance {
  private readonly labelActions: Action<string>[];
  private readonly attributeActions: Action<AttributeValue>[];
  private readonly promote: ((name: string) => boolean)[];
  private readonly remap: SeriesRemap;

  constructor(private readonly ctx: ProcessorContext<EnrichConfig>) {
    this.labelActions = compileActions(ctx.config.actions, labelCodec);
    this.attributeActions = compileActions(ctx.config.actions, attributeCodec);
    this.promote = ctx.config.promote_resource_attributes.map((g) => compileGlob(g.replace(/\*+/g, '**')));
    this.remap = new SeriesRemap(ctx.series);
  }

  consume(batch: Batch): Promise<void> {
    switch (batch.signal) {
      case 'metrics':
        return this.ctx.next.consume(this.metrics(batch));
      case 'events': {
        const items = this.events(batch.items);
        return this.ctx.next.consume(items === batch.items ? batch : eventBatch(items));
      }
      case 'alerts': {
        const items = this.alerts(batch.items);
        return this.ctx.next.consume(items === batch.items ? batch : alertBatch(items));
      }
      default:
        return this.ctx.next.consume(batch);
    }
  }

  private metrics(batch: MetricBatch): MetricBatch {
    const { series, length } = batch;
    let out: Uint32Array | undefined;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      let target = this.remap.get(id);
      if (target < 0) {
        target = this.mapSeries(id);
        this.remap.set(id, target);
      }
      if (target === id) continue;
      this.ctx.series.touch(target);
      (out ??= series.slice())[i] = target;
    }
    return out ? withSeries(batch, out) : batch;
  }

  private mapSeries(id: number): number {
    const info = this.ctx.series.info(id);
    const labels = this.editLabels(info.labels);
    if (labels === undefined) return id;
    return this.ctx.series.intern(info.name, labels, info.kind, info);
  }

  /** New sorted labels, or undefined when the actions change nothing. */
  private editLabels(labels: Labels): Labels | undefined {
    const fields = new Map<string, string>();
    for (let i = 0; i < labels.length; i += 2) fields.set(labels[i]!, labels[i + 1]!);
    let changed = this.promoteLabels(fields);
    for (const act of this.labelActions) changed = act(fields) || changed;
    if (!changed) return undefined;
    const flat: string[] = [];
    for (const k of [...fields.keys()].sort()) flat.push(k, fields.get(k)!);
    return Object.freeze(flat);
  }

  /** Labels `<prefix><name>` written by the OTLP receiver for resource attributes become `<name>`. */
  private promoteLabels(fields: Map<string, string>): boolean {
    const prefix = this.ctx.config.resource_label_prefix;
    if (prefix === '' || this.promote.length === 0) return false;
    let changed = false;
    for (const [k, v] of [...fields]) {
      if (!k.startsWith(prefix)) continue;
      const name = k.slice(prefix.length);
      if (!this.promote.some((m) => m(name))) continue;
      fields.delete(k);
      if (!fields.has(name)) fields.set(name, v);
      changed = true;
    }
    return changed;
  }

  private events(items: readonly TelemetryEvent[]): readonly TelemetryEvent[] {
    let out: TelemetryEvent[] | undefined;
    items.forEach((e, i) => {
      const attributes = this.editAttributes(e);
      if (attributes === undefined) return;
      (out ??= items.slice())[i] = { ...e, attributes };
    });
    return out ?? items;
  }

  private editAttributes(e: TelemetryEvent): Attributes | undefined {
    const fields = new Map<string, AttributeValue>(Object.entries(e.attributes));
    let changed = false;
    if (e.resource && this.promote.length > 0) {
      for (const [k, v] of Object.entries(e.resource)) {
        if (fields.has(k) || !this.promote.some((m) => m(k))) continue;
        fields.set(k, v);
        changed = true;
      }
    }
    for (const act of this.attributeActions) changed = act(fields) || changed;
    return changed ? Object.fromEntries(fields) : undefined;
  }

  private alerts(items: readonly AlertNotification[]): readonly AlertNotification[] {
    let out: AlertNotification[] | undefined;
    items.forEach((a, i) => {
      const fields = new Map(Object.entries(a.labels));
      let changed = false;
      for (const act of this.labelActions) changed = act(fields) || changed;
      if (changed) (out ??= items.slice())[i] = { ...a, labels: Object.fromEntries(fields) };
    });
    return out ?? items;
  }
}
