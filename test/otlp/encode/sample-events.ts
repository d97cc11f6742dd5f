import type { TelemetryEvent } from '../../../src/api';

/** The time of the first sample event (integer milliseconds, a few seconds ago). */
export const SAMPLE_EVENTS_TIME = Math.floor(Date.now()) - 5000;
const T = SAMPLE_EVENTS_TIME;
const RESOURCE = { 'service.name': 'checkout', 'host.name': 'h1' };

/** Events covering every AnyValue kind, identity fields, trace context and two resources. */
export function sampleEvents(): TelemetryEvent[] {
  return [
    {
      epoch: 7, requestId: 'req-1', topic: 'payments', eventType: 'payment.failed', severityNumber: 17, severityText: 'ERROR', timestampMs: T,
      attributes: { 'order.id': 'o-42', amount: 12.5, retries: 3, ok: false, huge: 2n ** 60n, tags: ['a', 'b'], nested: { k: 'v', n: null }, raw: new Uint8Array([1, 2, 255]) },
      body: 'payment failed: card declined', resource: RESOURCE, traceId: '0102030405060708090a0b0c0d0e0f10', spanId: 'a1a2a3a4a5a6a7a8',
    },
    {
      epoch: 0, requestId: '', topic: 'audit', eventType: '', severityNumber: 9, severityText: 'INFO', timestampMs: T + 1,
      // A stale identity attribute: the fields win on the wire.
      attributes: { topic: 'old-topic', user: 'u1' },
      body: { action: 'login', attempts: 2, list: [1, 'x', true] }, resource: RESOURCE,
    },
    { epoch: 1, requestId: 'r', topic: 'misc', eventType: 'tick', severityNumber: 0, severityText: '', timestampMs: T + 2.5, attributes: {}, body: null },
  ];
}

/** The event the receiver should build from an encoded event: identity attributes from the fields. */
export function expectedAfterHop(e: TelemetryEvent): TelemetryEvent {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.attributes)) if (!['epoch', 'request_id', 'topic', 'event_type'].includes(k)) attributes[k] = v;
  if (e.epoch !== 0) attributes['epoch'] = e.epoch;
  if (e.requestId !== '') attributes['request_id'] = e.requestId;
  if (e.topic !== '') attributes['topic'] = e.topic;
  if (e.eventType !== '') attributes['event_type'] = e.eventType;
  const out: Record<string, unknown> = { ...e, attributes };
  if (e.resource === undefined) delete out['resource'];
  return out as unknown as TelemetryEvent;
}
