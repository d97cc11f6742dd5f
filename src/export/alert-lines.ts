import type { AlertBatch, AlertNotification } from '../api';
import { jsonNumber } from './json-number';
import { identityJson, stringMapJson } from './json-value';
import type { Redactor } from './redaction';

/** One JSON line per alert notification, fields in snake_case (docs/file-format.md). */
export function formatAlerts(batch: AlertBatch, redact?: Redactor): string {
  let out = '';
  for (const alert of batch.items) out += alertJson(alert, redact) + '\n';
  return out;
}

export function alertJson(a: AlertNotification, redact?: Redactor): string {
  const line =
    `{"signal":"alerts","alert_name":${JSON.stringify(a.alertName)},"state":${JSON.stringify(a.state)}` +
    `,"severity":${JSON.stringify(a.severity)},"labels":${stringMapJson(a.labels, redact)}` +
    `,"annotations":${stringMapJson(a.annotations, redact)}` +
    `,"starts_at_ms":${jsonNumber(a.startsAtMs)},"ends_at_ms":${jsonNumber(a.endsAtMs)}`;
  return line + identityJson(a.epoch, a.requestId) + '}';
}
