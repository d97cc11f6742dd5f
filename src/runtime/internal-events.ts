import { randomUUID } from 'node:crypto';
import type { Attributes } from '../model/attributes';
import type { TelemetryEvent } from '../model/events';
import { severityTextOf } from '../model/events';

export const SEVERITY_INFO = 9;
export const SEVERITY_WARN = 13;

/** Builds one of the collector's own events (breaker transitions, mode changes). */
export function internalEvent(topic: string, eventType: string, severityNumber: number, body: string, attributes: Attributes, nowMs: number): TelemetryEvent {
  return {
    epoch: 0,
    requestId: randomUUID(),
    topic,
    eventType,
    severityNumber,
    severityText: severityTextOf(severityNumber),
    timestampMs: nowMs,
    attributes,
    body,
    resource: { 'service.name': 'nissa' },
  };
}
