import type { AlertNotification, ControlCommand, TelemetryEvent } from '../api';

/**
 * Keys that identify an item for de-duplication. Separators are control characters that do not
 * occur in request ids, so keys of different items cannot collide by concatenation.
 */

/** `(epoch, request_id)`; undefined when the item has no request id (it cannot be de-duplicated). */
export function requestKey(epoch: number | undefined, requestId: string | undefined): string | undefined {
  if (requestId === undefined || requestId === '') return undefined;
  return `${epoch ?? 0}\u0000${requestId}`;
}

export function eventKey(e: TelemetryEvent): string | undefined {
  return requestKey(e.epoch, e.requestId);
}

export function controlKey(c: ControlCommand): string | undefined {
  return requestKey(c.epoch, c.requestId);
}

/**
 * Alerts with a request id use it; without one (Alertmanager webhooks re-send firing alerts), the
 * notification itself is the identity: name, state, start and labels.
 */
export function alertKey(a: AlertNotification): string {
  const byRequest = requestKey(a.epoch, a.requestId);
  if (byRequest !== undefined) return byRequest;
  let key = `\u0002${a.alertName}\u0000${a.state}\u0000${a.startsAtMs}`;
  for (const k of Object.keys(a.labels).sort()) key += `\u0000${k}\u0001${a.labels[k]}`;
  return key;
}

/** The identity of an event, alert or control command, by its batch's signal. */
export function itemKey(signal: 'events' | 'alerts' | 'control', item: unknown): string | undefined {
  if (signal === 'events') return eventKey(item as TelemetryEvent);
  if (signal === 'alerts') return alertKey(item as AlertNotification);
  return controlKey(item as ControlCommand);
}
