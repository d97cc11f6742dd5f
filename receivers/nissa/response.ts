import { Writer } from 'protobufjs/minimal';
import type { HttpAnswer } from '../../src/http/receiver-server';

/** The `IngestResponse` every request gets: as JSON when the request was JSON, protobuf otherwise. */
export function ingestAnswer(status: number, accepted: number, rejected: number, firstError: string | undefined, requestType: string): HttpAnswer {
  if (requestType === 'application/json') {
    const body: Record<string, unknown> = { accepted, rejected };
    if (firstError) body['first_error'] = firstError;
    return { status, contentType: 'application/json', body: JSON.stringify(body) };
  }
  const w = Writer.create();
  if (accepted) w.uint32(8).uint32(accepted);
  if (rejected) w.uint32(16).uint32(rejected);
  if (firstError) w.uint32(26).string(firstError);
  return { status, contentType: 'application/x-protobuf', body: Buffer.from(w.finish()) };
}
