import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Root, type Type } from 'protobufjs';
import type { Signal } from '../api/signals';

/** The batch message of each signal in `src/proto/nissa.proto`. */
export const BATCH_TYPE: Readonly<Record<Signal, string>> = {
  metrics: 'nissa.v1.MetricBatch',
  events: 'nissa.v1.EventBatch',
  alerts: 'nissa.v1.AlertBatch',
  control: 'nissa.v1.ControlBatch',
};

let root: Root | undefined;

/**
 * The reflection schema of the Nissa format, parsed once on first use (JSON requests, responses,
 * tests and the bench; binary decoding does not need it). Field names are kept as in the .proto.
 */
export function nissaSchema(): Root {
  root ??= new Root().loadSync(protoPath(), { keepCase: true });
  return root;
}

export function nissaType(name: string): Type {
  return nissaSchema().lookupType(name);
}

/**
 * tsc does not copy .proto files, so the compiled code (dist/, .build/...) finds the source file by
 * walking up to the repository's `src/proto`.
 */
function protoPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'proto', 'nissa.proto'), join(dir, 'src', 'proto', 'nissa.proto')]) {
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) throw new Error('nissa.proto not found above ' + __dirname);
  }
}
