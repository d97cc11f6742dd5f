import type { RejectCounter } from './item-fault';

/** Media types of the two OTLP/HTTP encodings. */
export const PROTOBUF = 'application/x-protobuf';
export const JSON_TYPE = 'application/json';

export interface EncodedBody {
  readonly contentType: string;
  readonly body: Buffer;
}

function varint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function lengthDelimited(out: number[], tag: number, bytes: Uint8Array | number[]): void {
  out.push(tag);
  varint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/**
 * `ExportMetricsServiceResponse` / `ExportLogsServiceResponse`: empty when everything was kept,
 * else `partial_success { rejected_data_points | rejected_log_records = 1; error_message = 2 }`.
 * Both messages have the same field numbers, so one encoder serves both.
 */
export function exportResponse(signal: 'metrics' | 'logs', rejected: RejectCounter, json: boolean): EncodedBody {
  const message = rejected.total > 0 ? `rejected ${rejected.total} invalid ${signal === 'metrics' ? 'data points' : 'log records'}: ${rejected.summary()}` : '';
  if (json) {
    const countField = signal === 'metrics' ? 'rejectedDataPoints' : 'rejectedLogRecords';
    // int64 goes as a decimal string, as the proto3 JSON mapping (and OTLP/JSON) says.
    const body = rejected.total > 0 ? { partialSuccess: { [countField]: String(rejected.total), errorMessage: message } } : {};
    return { contentType: JSON_TYPE, body: Buffer.from(JSON.stringify(body)) };
  }
  if (rejected.total === 0) return { contentType: PROTOBUF, body: Buffer.alloc(0) };
  const inner: number[] = [0x08];
  varint(inner, rejected.total);
  lengthDelimited(inner, 0x12, Buffer.from(message, 'utf8'));
  const out: number[] = [];
  lengthDelimited(out, 0x0a, inner);
  return { contentType: PROTOBUF, body: Buffer.from(out) };
}

/** gRPC status code for an HTTP status (the `code` of google.rpc.Status). */
export function grpcCodeForHttp(status: number): number {
  switch (status) {
    case 400: return 3; // INVALID_ARGUMENT
    case 401: return 16; // UNAUTHENTICATED
    case 403: return 7; // PERMISSION_DENIED
    case 404: return 5; // NOT_FOUND
    case 413: case 429: return 8; // RESOURCE_EXHAUSTED
    case 415: return 3;
    case 503: return 14; // UNAVAILABLE
    default: return status >= 500 ? 13 : 2; // INTERNAL : UNKNOWN
  }
}

/** `google.rpc.Status { code = 1; message = 2 }` in the request's encoding. */
export function statusBody(httpStatus: number, message: string, json: boolean): EncodedBody {
  const code = grpcCodeForHttp(httpStatus);
  if (json) return { contentType: JSON_TYPE, body: Buffer.from(JSON.stringify({ code, message })) };
  const out: number[] = [0x08];
  varint(out, code);
  lengthDelimited(out, 0x12, Buffer.from(message, 'utf8'));
  return { contentType: PROTOBUF, body: Buffer.from(out) };
}
