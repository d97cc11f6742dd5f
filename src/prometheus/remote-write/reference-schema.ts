import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as protobuf from 'protobufjs';

/**
 * The reference WriteRequest type, loaded by protobufjs from `src/proto/remote.proto`. Not used
 * on the data path (that is hand-written): tests check the hand-written codec against it and the
 * bench uses it as the baseline.
 */
export function loadWriteRequestType(): protobuf.Type {
  return protobuf.loadSync(findProtoFile()).lookupType('prometheus.WriteRequest');
}

/** The .proto is not copied by tsc: look for it upwards from the compiled file. */
function findProtoFile(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'proto', 'remote.proto');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('src/proto/remote.proto not found above ' + __dirname);
  }
}
