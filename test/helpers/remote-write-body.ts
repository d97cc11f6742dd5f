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

/** WriteRequest bytes (uncompressed) whose one label value is not UTF-8: protobufjs cannot encode such a string, so the bytes are patched. */
export function notUtf8LabelValue(): Buffer {
  const bytes = writeRequestBytes({ timeseries: [{ labels: [{ name: '__name__', value: 'm' }, { name: 'a', value: '\u00e9' }], samples: [{ value: 1, timestamp: 1 }] }] });
  bytes[bytes.indexOf(Buffer.from('\u00e9')) + 1] = 0x28; // C3 28: a lead byte without its continuation
  return bytes;
}
