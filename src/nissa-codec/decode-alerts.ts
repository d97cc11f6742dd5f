import type { Reader } from './wire';
import { alertBatch, type AlertBatch, type AlertNotification, type AlertState } from '../model/alerts';
import { decodeItems } from './decode-items';
import type { DecodeLimits } from './limits';
import { ItemInvalid, type DecodeResult } from './rejections';
import { readMapEntry, readString, type StringMapLimits } from './strings';
import { checkLabelName, checkTimestamp, required } from './validate';
import { expectWire, skipField, varint32, varint64, WIRE_LEN, WIRE_VARINT } from './wire';

const STATES: Record<number, AlertState> = { 1: 'firing', 2: 'resolved' };

/** Decodes and validates an `AlertBatch`; invalid alerts are counted and skipped. */
export function decodeAlerts(bytes: Uint8Array, limits: DecodeLimits, nowMs: number): DecodeResult<AlertBatch> {
  const labelLimits: StringMapLimits = {
    field: 'labels', maxEntries: limits.maxLabels, maxKeyBytes: limits.maxNameLength, maxValueBytes: limits.maxLabelValueLength,
    checkKey: checkLabelName, valueTooLongReason: 'invalid_label_value_too_long', tooManyReason: 'invalid_too_many_labels',
  };
  const annotationLimits: StringMapLimits = {
    field: 'annotations', maxEntries: limits.maxLabels, maxKeyBytes: limits.maxNameLength, maxValueBytes: limits.maxStringLength, checkKey: checkLabelName,
  };
  const { items, rej } = decodeItems(bytes, 'alerts', (r, end) => readAlert(r, end, limits, nowMs, labelLimits, annotationLimits));
  return rej.result(alertBatch(items), items.length);
}

function readAlert(r: Reader, end: number, limits: DecodeLimits, nowMs: number, labelLimits: StringMapLimits, annotationLimits: StringMapLimits): AlertNotification {
  let alertName = '';
  let state = 0;
  let severity = '';
  const labels: Record<string, string> = {};
  let nLabels = 0;
  const annotations: Record<string, string> = {};
  let nAnnotations = 0;
  let startsAt = 0;
  let endsAt = 0;
  let epoch = 0;
  let requestId = '';
  while (r.pos < end) {
    const tag = varint32(r, end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(wt, WIRE_LEN, 'alert_name'); alertName = readString(r, end, limits.maxNameLength, 'alert_name'); break;
      case 2: expectWire(wt, WIRE_VARINT, 'state'); state = varint32(r, end); break;
      case 3: expectWire(wt, WIRE_LEN, 'severity'); severity = readString(r, end, limits.maxNameLength, 'severity'); break;
      case 4: readMapEntry(r, wt, end, labels, nLabels++, labelLimits); break;
      case 5: readMapEntry(r, wt, end, annotations, nAnnotations++, annotationLimits); break;
      case 6: expectWire(wt, WIRE_VARINT, 'starts_at_ms'); startsAt = varint64(r, end); break;
      case 7: expectWire(wt, WIRE_VARINT, 'ends_at_ms'); endsAt = varint64(r, end); break;
      case 8: expectWire(wt, WIRE_VARINT, 'epoch'); epoch = varint64(r, end); break;
      case 9: expectWire(wt, WIRE_LEN, 'request_id'); requestId = readString(r, end, limits.maxNameLength, 'request_id'); break;
      default: skipField(r, wt, end);
    }
  }
  required(alertName, 'alert_name');
  const alertState = STATES[state];
  if (!alertState) throw new ItemInvalid('invalid_enum', `unknown alert state ${state}`);
  checkTimestamp(startsAt, nowMs, limits, 'starts_at_ms');
  if (endsAt !== 0 && endsAt < startsAt) throw new ItemInvalid('invalid_timestamp', 'ends_at_ms is before starts_at_ms');
  const alert: { -readonly [K in keyof AlertNotification]: AlertNotification[K] } = {
    alertName, state: alertState, severity, labels, annotations, startsAtMs: startsAt, endsAtMs: endsAt,
  };
  if (epoch !== 0) alert.epoch = epoch;
  if (requestId !== '') alert.requestId = requestId;
  return alert;
}
