import type { AlertNotification, ControlCommand, TelemetryEvent } from '../api';

/**
 * The identity of an item for de-duplication, as `(epoch, text)`: for events, control commands
 * and alerts with a request id, `(epoch, request_id)` (no string is built per item: the request
 * id is the text). Alerts without one (Alertmanager webhooks re-send firing alerts) are
 * identified by the notification itself under {@link NOTIFICATION_EPOCH}, which no request
 * epoch takes (epochs are unsigned).
 */
export interface Identity {
  epoch: number;
  text: string;
}

const NOTIFICATION_EPOCH = -1;

/**
 * Fills `out` with the identity of an event, alert or control command (by its batch's signal);
 * false when the item has none (no request id: it cannot be recognised again). `out` is reused
 * from item to item, so the hot loop allocates nothing.
 */
export function identityOf(signal: 'events' | 'alerts' | 'control', item: unknown, out: Identity): boolean {
  const { epoch, requestId } = item as TelemetryEvent | ControlCommand | AlertNotification;
  if (requestId !== undefined && requestId !== '') {
    // NaN never equals itself: such an item would never be recognised again.
    out.epoch = epoch === undefined || Number.isNaN(epoch) ? 0 : epoch;
    out.text = requestId;
    return true;
  }
  if (signal !== 'alerts') return false;
  out.epoch = NOTIFICATION_EPOCH;
  out.text = notificationKey(item as AlertNotification);
  return true;
}

/** Name, state, start and labels; separators are control characters that label text does not hold. */
function notificationKey(a: AlertNotification): string {
  let key = `${a.alertName}\u0000${a.state}\u0000${a.startsAtMs}`;
  for (const k of Object.keys(a.labels).sort()) key += `\u0000${k}\u0001${a.labels[k]}`;
  return key;
}
