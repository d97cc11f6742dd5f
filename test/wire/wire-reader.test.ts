import assert from 'node:assert/strict';
import { ProtoWriter, varintSize } from '../../src/wire/proto-writer';
import { WireError, WireReader, type FaultFactory } from '../../src/wire/wire-reader';

function reader(bytes: number[] | Uint8Array, fail?: FaultFactory): WireReader {
  return new WireReader(Buffer.from(bytes), fail);
}

describe('shared protobuf wire reader and writer (src/wire)', () => {
  it('reads back what the writer wrote: varints up to 2^53, negatives as int64, doubles', () => {
    const w = new ProtoWriter(8);
    const values = [0, 1, 127, 128, 300, 2 ** 32 - 1, 2 ** 32, 1_700_000_000_123, 2 ** 53 - 1, -1, -1_000_000];
    for (const v of values) w.varint(v);
    w.double(-2.5);
    const r = reader(w.written());
    for (const v of values) assert.equal(r.int64Number(r.len), v);
    assert.equal(r.double(r.len), -2.5);
    assert.equal(r.pos, r.len);
  });

  it('varintSize matches the bytes varint writes', () => {
    for (const v of [0, 127, 128, 16383, 16384, 2 ** 28, 2 ** 35, 2 ** 42, 2 ** 49, 2 ** 53 - 1, -5]) {
      const w = new ProtoWriter(4);
      w.varint(v);
      assert.equal(w.written().length, varintSize(v), `value ${v}`);
    }
  });

  it('faults are WireErrors with a code and offset by default', () => {
    assert.throws(() => reader([0x80]).uint32(1), (e: unknown) => e instanceof WireError && e.fault === 'truncated' && e.offset === 1);
    assert.throws(() => reader(new Array(11).fill(0xff)).uint32(11), (e: unknown) => e instanceof WireError && e.fault === 'varint_too_long');
    assert.throws(() => reader([0x05, 1]).lengthEnd(2), (e: unknown) => e instanceof WireError && e.fault === 'length_past_end');
    assert.throws(() => reader([]).skip(3, 0), (e: unknown) => e instanceof WireError && e.fault === 'invalid_wire_type');
  });

  it('a codec-supplied fault factory makes the error, told what was being read', () => {
    const seen: Array<[string, string | number]> = [];
    const fail: FaultFactory = (fault, _offset, subject) => {
      seen.push([fault, subject]);
      return new RangeError(fault);
    };
    assert.throws(() => reader([1, 2, 3], fail).double(3), RangeError);
    assert.throws(() => reader([1, 2], fail).skip(5, 2), RangeError);
    assert.throws(() => reader([], fail).skip(7, 0), RangeError);
    assert.deepEqual(seen, [['truncated', 'double'], ['truncated', 'fixed32'], ['invalid_wire_type', 7]]);
  });
});
