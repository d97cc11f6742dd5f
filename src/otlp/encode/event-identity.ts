import type { AttributeValue, Attributes } from '../../model/attributes';
import type { TelemetryEvent } from '../../model/events';

/** Attribute names the OTLP receiver reads an event's identity and routing from (see `log-event.ts`). */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set(['epoch', 'request_id', 'topic', 'event_type']);

/**
 * The identity attributes of an event as the receiver will read them back: `epoch`,
 * `request_id`, `topic`, `event_type`, each present only when the field is not its default
 * (0 or empty). They always come from the fields, never from same-named attributes, so a
 * Nissa → Nissa hop gives back the same fields even when a processor changed them.
 */
export function identityAttributes(e: TelemetryEvent): [string, AttributeValue][] {
  const out: [string, AttributeValue][] = [];
  if (e.epoch !== 0) out.push(['epoch', e.epoch]);
  if (e.requestId !== '') out.push(['request_id', e.requestId]);
  if (e.topic !== '') out.push(['topic', e.topic]);
  if (e.eventType !== '') out.push(['event_type', e.eventType]);
  return out;
}

/** Calls `fn` for every attribute of the event that is not an identity key (those come from {@link identityAttributes}). */
export function forOtherAttributes(attributes: Attributes, fn: (key: string, value: AttributeValue) => void): void {
  for (const key of Object.keys(attributes)) if (!IDENTITY_KEYS.has(key)) fn(key, attributes[key]!);
}

/** Events grouped by resource (by object identity, in order of first appearance). */
export function groupByResource(events: readonly TelemetryEvent[]): { resource: Attributes | undefined; events: TelemetryEvent[] }[] {
  const groups = new Map<Attributes | undefined, TelemetryEvent[]>();
  for (const e of events) {
    const r = e.resource !== undefined && Object.keys(e.resource).length > 0 ? e.resource : undefined;
    let list = groups.get(r);
    if (list === undefined) groups.set(r, (list = []));
    list.push(e);
  }
  return [...groups].map(([resource, list]) => ({ resource, events: list }));
}
