import type { AlertNotification, ControlCommand, SeriesTable, TelemetryEvent } from '../api';

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

/**
 * A metric point is identified by (series id, generation, timestamp): a replayed request carries
 * the same series at the same timestamps, whatever its request id. The generation keeps a reused
 * series id from matching points of the series that held the id before.
 */
export function metricPointKey(series: SeriesTable, id: number, timestampMs: number): string {
  return `${id}.${series.generation(id)}@${timestampMs}`;
}
