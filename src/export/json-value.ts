import type { Attributes, AttributeValue, Labels } from '../api';
import { jsonNumber } from './json-number';
import { REDACTED, type Redactor } from './redaction';

/**
 * An attribute value as JSON: bigint as a decimal string (JSON numbers lose precision above 2^53),
 * bytes as base64, non-finite numbers as "NaN"/"+Inf"/"-Inf", nested lists and maps as they are.
 */
export function attributeValueJson(value: AttributeValue, redact?: Redactor): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return jsonNumber(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + attributeValueJson(value[i] as AttributeValue, redact);
    return out + ']';
  }
  return attributesJson(value as Attributes, redact);
}

/** A map of attributes as a JSON object, keys in their own order. */
export function attributesJson(attrs: Attributes, redact?: Redactor): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(attrs)) {
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + (redact?.(key) ? REDACTED : attributeValueJson(attrs[key]!, redact));
    first = false;
  }
  return out + '}';
}

/** A string map (alert labels, command args) as a JSON object. */
export function stringMapJson(map: Readonly<Record<string, string>>, redact?: Redactor): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(map)) {
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + (redact?.(key) ? REDACTED : JSON.stringify(map[key]));
    first = false;
  }
  return out + '}';
}

/** Flat sorted `[k, v, ...]` labels as a JSON object. */
export function labelsJson(labels: Labels, redact?: Redactor): string {
  let out = '{';
  for (let i = 0; i + 1 < labels.length; i += 2) {
    out += (i === 0 ? '' : ',') + JSON.stringify(labels[i]) + ':' + (redact?.(labels[i]!) ? REDACTED : JSON.stringify(labels[i + 1]));
  }
  return out + '}';
}

/** The optional `(epoch, request_id)` identity of an alert or control command, as JSON fields. */
export function identityJson(epoch: number | undefined, requestId: string | undefined): string {
  return (epoch !== undefined ? `,"epoch":${jsonNumber(epoch)}` : '') + (requestId !== undefined ? `,"request_id":${JSON.stringify(requestId)}` : '');
}
