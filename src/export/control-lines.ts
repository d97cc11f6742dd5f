import type { ControlBatch, ControlCommand } from '../api';
import { jsonNumber } from './json-number';
import { identityJson, stringMapJson } from './json-value';
import type { Redactor } from './redaction';

/** One JSON line per control command, fields in snake_case (docs/file-format.md). */
export function formatControl(batch: ControlBatch, redact?: Redactor): string {
  let out = '';
  for (const command of batch.items) out += controlJson(command, redact) + '\n';
  return out;
}

export function controlJson(c: ControlCommand, redact?: Redactor): string {
  const line =
    `{"signal":"control","command":${JSON.stringify(c.command)},"target":${JSON.stringify(c.target)}` +
    `,"args":${stringMapJson(c.args, redact)},"issued_at_ms":${jsonNumber(c.issuedAtMs)}`;
  return line + identityJson(c.epoch, c.requestId) + '}';
}
