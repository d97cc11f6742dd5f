import type { Attributes, AttributeValue } from './attributes';

/**
 * Severity numbers follow OpenTelemetry's log data model (1-4 trace, 5-8 debug, 9-12 info,
 * 13-16 warn, 17-20 error, 21-24 fatal; 0 unspecified), so OTLP logs map without loss.
 */
export type SeverityNumber = number;

/** A structured telemetry event (a log record), identified by `(epoch, requestId)`. */
export interface TelemetryEvent {
  readonly epoch: number;
  readonly requestId: string;
  readonly topic: string;
  readonly eventType: string;
  readonly severityNumber: SeverityNumber;
  readonly severityText: string;
  readonly timestampMs: number;
  readonly attributes: Attributes;
  readonly body: AttributeValue;
  /** Resource attributes (OTLP resource, or the emitting service), kept apart from event attributes. */
  readonly resource?: Attributes;
  readonly traceId?: string;
  readonly spanId?: string;
}

/**
 * Events still in the bytes they arrived in: validated as a receiver validates, but not yet built
 * into objects. Building a log record's strings and attribute objects costs several times reading
 * past its bytes, so a receiver that can stop at validation hands records on, and stages that
 * only pass events through (batching, splitting, an exporter writing the same format) never build
 * them; the first stage that reads `items` does.
 */
export interface EventRecords {
  /** Events held. */
  readonly count: number;
  /** The events, built anew on each call (a batch builds them once and keeps them). */
  build(): TelemetryEvent[];
  /** Events [from, to) as records of their own: a view on the same bytes. */
  slice(from: number, to: number): EventRecords;
}

export interface EventBatch {
  readonly signal: 'events';
  /** The events. For a batch of {@link records}, built on first access. */
  readonly items: readonly TelemetryEvent[];
  /**
   * Set when the batch is exactly these records, in order: stages that pass events through keep
   * them as records (see {@link EventRecords}). Absent for events made as objects.
   */
  readonly records?: readonly EventRecords[];
}

export function eventBatch(items: readonly TelemetryEvent[]): EventBatch {
  return { signal: 'events', items };
}

/** A batch of events held as records, built into objects when a stage first reads `items`. */
class RecordsEventBatch implements EventBatch {
  readonly signal = 'events';
  private built: TelemetryEvent[] | undefined;

  constructor(readonly records: readonly EventRecords[]) {}

  get items(): readonly TelemetryEvent[] {
    if (this.built === undefined) {
      const out: TelemetryEvent[] = [];
      for (const r of this.records) for (const e of r.build()) out.push(e);
      this.built = out;
    }
    return this.built;
  }
}

/** A batch of the events held by `records`, in order; none is built until a stage reads `items`. */
export function recordsBatch(records: readonly EventRecords[]): EventBatch {
  return new RecordsEventBatch(records);
}

/** Events in the batch, without building records into events. */
export function eventCount(batch: EventBatch): number {
  if (batch.records === undefined) return batch.items.length;
  let n = 0;
  for (const r of batch.records) n += r.count;
  return n;
}

const SEVERITY_TEXT = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** The OpenTelemetry short name of a severity number (`INFO` for 9-12, ...). */
export function severityTextOf(n: SeverityNumber): string {
  return n <= 0 ? SEVERITY_TEXT[0]! : SEVERITY_TEXT[Math.min(6, Math.ceil(n / 4))]!;
}
