import { Writer } from 'protobufjs/minimal';
import type { AlertNotification } from '../model/alerts';
import type { ControlCommand } from '../model/control';
import type { TelemetryEvent } from '../model/events';
import { writeAnyValue, writeKeyValues } from './any-value';

/** Encoders of the object-per-item signals, each writing the batch message of its kind. */

export function encodeEvents(events: readonly TelemetryEvent[]): Uint8Array {
  const w = Writer.create();
  for (const e of events) {
    w.uint32(10).fork();
    if (e.epoch) w.uint32(8).uint64(e.epoch);
    str(w, 2, e.requestId);
    str(w, 3, e.topic);
    str(w, 4, e.eventType);
    if (e.severityNumber) w.uint32(40).uint32(e.severityNumber);
    str(w, 6, e.severityText);
    w.uint32(56).int64(Math.round(e.timestampMs));
    writeKeyValues(w, 8, e.attributes);
    if (e.body !== null && e.body !== undefined) {
      w.uint32(74).fork();
      writeAnyValue(w, e.body);
      w.ldelim();
    }
    if (e.resource) writeKeyValues(w, 10, e.resource);
    str(w, 11, e.traceId);
    str(w, 12, e.spanId);
    w.ldelim();
  }
  return w.finish();
}

export function encodeAlerts(alerts: readonly AlertNotification[]): Uint8Array {
  const w = Writer.create();
  for (const a of alerts) {
    w.uint32(10).fork();
    str(w, 1, a.alertName);
    w.uint32(16).uint32(a.state === 'firing' ? 1 : 2);
    str(w, 3, a.severity);
    stringMap(w, 4, a.labels);
    stringMap(w, 5, a.annotations);
    w.uint32(48).int64(Math.round(a.startsAtMs));
    if (a.endsAtMs) w.uint32(56).int64(Math.round(a.endsAtMs));
    if (a.epoch) w.uint32(64).uint64(a.epoch);
    str(w, 9, a.requestId);
    w.ldelim();
  }
  return w.finish();
}

export function encodeControl(commands: readonly ControlCommand[]): Uint8Array {
  const w = Writer.create();
  for (const c of commands) {
    w.uint32(10).fork();
    str(w, 1, c.command);
    str(w, 2, c.target);
    stringMap(w, 3, c.args);
    w.uint32(32).int64(Math.round(c.issuedAtMs));
    str(w, 5, c.requestId);
    if (c.epoch) w.uint32(48).uint64(c.epoch);
    w.ldelim();
  }
  return w.finish();
}

function str(w: Writer, field: number, value: string | undefined): void {
  if (value) w.uint32((field << 3) | 2).string(value);
}

function stringMap(w: Writer, field: number, map: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(map)) {
    w.uint32((field << 3) | 2).fork().uint32(10).string(key).uint32(18).string(map[key]!).ldelim();
  }
}
