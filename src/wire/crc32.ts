import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, initial?: number) => number;

let table: Uint32Array | undefined;

/** The IEEE CRC-32 (as zlib and gzip) by table, for Node versions before 20.15 that lack `zlib.crc32`. */
export function crc32Table(data: Uint8Array, initial = 0): number {
  table ??= makeTable();
  let c = ~initial >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data`: zlib's native one when the runtime has it (Node ≥ 20.15), else the table. */
export const crc32: Crc32 = native ? (data, initial) => native(data, initial ?? 0) : crc32Table;
