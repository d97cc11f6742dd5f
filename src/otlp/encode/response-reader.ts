import { WireReader } from '../../wire/wire-reader';

/** `partial_success` of an Export*ServiceResponse: items the server refused although it answered 2xx. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

/** `google.rpc.Status` of an error response. */
export interface RpcStatus {
  readonly code: number;
  readonly message: string;
}

/** Fields 1 (varint) and 2 (string) of a message [start, end); others skipped. Throws on malformed bytes. */
function numberAndText(r: WireReader, end: number): { n: number; text: string } {
  let n = 0;
  let text = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x08) n = r.uint64Number(end);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      text = r.buf.toString('utf8', r.pos, e);
      r.pos = e;
    } else r.skip(tag & 7, end);
  }
  return { n, text };
}

function protoPartialSuccess(body: Buffer): PartialSuccess | undefined {
  const r = new WireReader(body);
  let out: PartialSuccess | undefined;
  while (r.pos < body.length) {
    const tag = r.uint32(body.length);
    if (tag === 0x0a) {
      const e = r.lengthEnd(body.length);
      const { n, text } = numberAndText(r, e);
      out = { rejected: n, message: text };
    } else r.skip(tag & 7, body.length);
  }
  return out;
}

function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  const v: unknown = JSON.parse(body.toString('utf8'));
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The partial success of a 2xx answer, or undefined when there is none (an empty body, no
 * rejected items) or the body cannot be read: a success stays a success.
 */
export function readPartialSuccess(body: Buffer, json: boolean): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  try {
    if (!json) return protoPartialSuccess(body);
    const ps = jsonObject(body)?.['partialSuccess'] as Record<string, unknown> | undefined;
    if (ps === undefined || ps === null || typeof ps !== 'object') return undefined;
    const n = Number(ps['rejectedDataPoints'] ?? ps['rejectedLogRecords'] ?? 0);
    return { rejected: Number.isFinite(n) ? n : 0, message: typeof ps['errorMessage'] === 'string' ? ps['errorMessage'] : '' };
  } catch {
    return undefined;
  }
}

/** The `google.rpc.Status` of an error body, or undefined when it is not one. */
export function readRpcStatus(body: Buffer, json: boolean): RpcStatus | undefined {
  if (body.length === 0) return undefined;
  try {
    if (json) {
      const o = jsonObject(body);
      if (o === undefined || typeof o['message'] !== 'string') return undefined;
      return { code: typeof o['code'] === 'number' ? o['code'] : 0, message: o['message'] };
    }
    const r = new WireReader(body);
    const { n, text } = numberAndText(r, body.length);
    return { code: n, message: text };
  } catch {
    return undefined;
  }
}
