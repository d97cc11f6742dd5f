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

export interface EventBatch {
  readonly signal: 'events';
  readonly items: readonly TelemetryEvent[];
}

export function eventBatch(items: readonly TelemetryEvent[]): EventBatch {
  return { signal: 'events', items };
}

const SEVERITY_TEXT = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** The OpenTelemetry short name of a severity number (`INFO` for 9-12, ...). */
export function severityTextOf(n: SeverityNumber): string {
  return n <= 0 ? SEVERITY_TEXT[0]! : SEVERITY_TEXT[Math.min(6, Math.ceil(n / 4))]!;
}
