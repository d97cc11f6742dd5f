import { compressSync } from 'snappy';
import { loadWriteRequestType } from '../../src/prometheus/remote-write/reference-schema';

/**
 * Remote write requests for tests, encoded by the reference schema (protobufjs), independent of
 * Nissa's own encoder. `request` is a WriteRequest as protobufjs's `fromObject` takes it.
 */
const WriteRequest = loadWriteRequestType();

/** The WriteRequest's protobuf bytes, uncompressed. */
export function writeRequestBytes(request: object): Buffer {
  return Buffer.from(WriteRequest.encode(WriteRequest.fromObject(request)).finish());
}

/** The WriteRequest as a remote write body: protobuf, snappy block format. */
export function remoteWriteBody(request: object): Buffer {
  return compressSync(writeRequestBytes(request));
}
