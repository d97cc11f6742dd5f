import assert from 'node:assert/strict';
import fc from 'fast-check';
import { batchSize } from '../../../src/model/batch';
import type { TelemetryEvent } from '../../../src/model/events';
import type { RejectCounter } from '../../../src/otlp/item-fault';
import { checkProtoLogs, OtlpLogRecords } from '../../../src/otlp/proto/logs-check';
import { decodeProtoLogs } from '../../../src/otlp/proto/logs-decoder';
import { standardLogsRequest } from '../../fixtures/otlp/standard-payloads';
import { kv, MAX_FUTURE, NOW, NS, recordsArb, request, str, type Obj } from './log-arbitraries';

type Outcome = { error: string } | { events: TelemetryEvent[]; reasons: [string, number][] };

function sorted(rejected: RejectCounter): [string, number][] {
  return [...rejected.reasons].sort();
}

/** What decoding `body` into events gives: the structural error, or the events and the refusals. */
function decoded(body: Buffer): Outcome {
  try {
    const got = decodeProtoLogs(body, NOW, MAX_FUTURE);
    return { events: got.events, reasons: sorted(got.rejected) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The same through the checker, events built afterwards from the records it kept. */
function checked(body: Buffer): Outcome {
  try {
    const got = checkProtoLogs(body, NOW, MAX_FUTURE);
    return { events: [...got.batch.items], reasons: sorted(got.rejected) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function assertSameAsDecoder(body: Buffer): void {
  assert.deepStrictEqual(checked(body), decoded(body));
}

/** A copy of `body` with bytes changed: overwritten, dropped or cut off. */
const mutationArb = fc.array(
  fc.oneof(
    fc.tuple(fc.constant('set' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
    fc.tuple(fc.constant('drop' as const), fc.nat(), fc.constant(0)),
    fc.tuple(fc.constant('cut' as const), fc.nat(), fc.constant(0)),
  ),
  { minLength: 1, maxLength: 4 },
);

function mutate(body: Buffer, mutations: readonly (readonly ['set' | 'drop' | 'cut', number, number])[]): Buffer {
  let out = Buffer.from(body);
  for (const [kind, at, value] of mutations) {
    if (out.length === 0) break;
    const i = at % out.length;
    if (kind === 'set') out[i] = value;
    else if (kind === 'drop') out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
    else out = out.subarray(0, i);
  }
  return out;
}

describe('OTLP protobuf logs checker (validation without building events)', () => {
  it('keeps and refuses exactly the records the decoder keeps and refuses, for any request', () => {
    fc.assert(fc.property(recordsArb, (records) => assertSameAsDecoder(request(records))), { numRuns: 300 });
  });

  it('agrees with the decoder on damaged requests: the same structural error, or the same records and reasons', () => {
    // Damage lands anywhere: tags, lengths, varints, UTF-8 of keys, values, bodies, ids.
    fc.assert(fc.property(recordsArb, mutationArb, (records, mutations) => assertSameAsDecoder(mutate(request(records), mutations))), { numRuns: 1500 });
  });

  it('agrees with the decoder on the damaged bench payload, record layouts it has seen before', () => {
    const body = standardLogsRequest(NOW);
    fc.assert(fc.property(mutationArb, (mutations) => assertSameAsDecoder(mutate(body, mutations))), { numRuns: 150 });
  });

  it('refuses invalid UTF-8 in every kind of string, whatever else the record repeats', () => {
    const good: Obj = { time_unix_nano: NS, severity_text: 'INFO', event_name: 'ev', body: str('b'.repeat(60)), attributes: [kv('k', str('v1')), kv('host', str('h1')), kv('n', { int_value: '3' })] };
    const marked: Obj[] = [
      { ...good, severity_text: 'ZZZZ' },
      { ...good, event_name: 'ZZZZ' },
      { ...good, body: str(`${'b'.repeat(56)}ZZZZ`) },
      { ...good, body: str(`${'b'.repeat(200)}ZZZZ`) },
      { ...good, attributes: [kv('ZZZZ', str('v1')), kv('host', str('h1'))] },
      { ...good, attributes: [kv('k', str('v1')), kv('host', str('ZZZZ'))] },
      { ...good, attributes: [kv('k', str(`${'v'.repeat(130)}ZZZZ`))] },
      { ...good, attributes: [kv('k', { array_value: { values: [str('ZZZZ')] } })] },
    ];
    for (const [i, record] of marked.entries()) {
      const body = request([good, good, record, good]);
      const at = body.indexOf('ZZZZ');
      body[at] = 0xc3; // a lead byte followed by ASCII: invalid
      assertSameAsDecoder(body);
      const got = checkProtoLogs(body, NOW, MAX_FUTURE);
      assert.deepEqual(sorted(got.rejected), [['invalid_utf8', 1]], `case ${i}`);
      assert.equal(batchSize(got.batch), 3, `case ${i}`);
    }
  });

  it('keeps non-ASCII text and long strings (two-byte lengths) that are valid', () => {
    const records = ['é'.repeat(20), 'a'.repeat(200), '日本語'].map((t) => ({ time_unix_nano: NS, severity_text: t.slice(0, 3), body: str(t), attributes: [kv(t.slice(0, 4), str(t)), kv('x', str('y'))] }));
    assertSameAsDecoder(request(records));
    assert.equal(checkProtoLogs(request(records), NOW, MAX_FUTURE).rejected.total, 0);
  });

  it('refuses a duplicate key whether or not the keys before it repeat the previous record', () => {
    const good = { time_unix_nano: NS, attributes: [kv('a', str('1')), kv('b', str('2'))] };
    const records = [good, good, { ...good, attributes: [kv('a', str('1')), kv('b', str('2')), kv('a', str('9'))] }, { ...good, attributes: [kv('b', str('1')), kv('b', str('1'))] }, good];
    assertSameAsDecoder(request(records));
    assert.deepEqual(sorted(checkProtoLogs(request(records), NOW, MAX_FUTURE).rejected), [['duplicate_attribute_key', 2]]);
  });
});

/** A length-delimited field: tag, varint length, bytes. */
function field(tag: number, bytes: Buffer): Buffer {
  const len: number[] = [];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      len.push(n);
      break;
    }
    len.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([tag, ...len]), bytes]);
}

/** A request of one resource and scope holding LogRecords given as their bytes. */
function rawRequest(...records: Buffer[]): Buffer {
  return field(0x0a, field(0x12, Buffer.concat(records.map((r) => field(0x12, r)))));
}

const TIME = Buffer.from([0x09, ...new Uint8Array(new BigUint64Array([BigInt(NOW) * 1_000_000n]).buffer)]);

describe('OTLP protobuf logs checker on hand-made bytes', () => {
  it('refuses a string value whose two-byte length runs past its KeyValue', () => {
    // The value is 0a 85 01 + 132 bytes: read as a one-byte length, 0x85 (133) + 2 would end it
    // exactly; read right, the string needs 133 bytes after 3: past the end.
    const value = Buffer.concat([Buffer.from([0x0a, 0x85, 0x01]), Buffer.alloc(132, 0x61)]);
    const record = Buffer.concat([TIME, field(0x32, Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, value)]))]);
    assertSameAsDecoder(rawRequest(record));
    assert.throws(() => checkProtoLogs(rawRequest(record), NOW, MAX_FUTURE), /length past end/);
  });

  it('reads non-minimal varints, repeated and reordered KeyValue fields, unknown fields and long lengths as the decoder does', () => {
    const kvReversed = Buffer.concat([field(0x12, field(0x0a, Buffer.from('v'))), field(0x0a, Buffer.from('first')), field(0x0a, Buffer.from('k')), Buffer.from([0x18, 0x01])]);
    const padded = Buffer.from([0x8a, 0x00, 0x01, 0x61]); // tag 0x0a as two bytes, key "a"
    const records = [
      Buffer.concat([TIME, field(0x32, kvReversed), field(0x32, Buffer.concat([padded, field(0x12, field(0x0a, Buffer.from('x')))]))]),
      Buffer.concat([TIME, field(0x2a, field(0x0a, Buffer.alloc(20_000, 0x62))), field(0x1a, Buffer.alloc(200, 0x63)), Buffer.from([0xf8, 0x07, 0x05, 0x85, 0x08, 1, 2, 3, 4])]),
      Buffer.concat([TIME, field(0x32, Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, field(0x0a, Buffer.alloc(300, 0x64)))])), field(0x32, kvReversed)]),
    ];
    const body = rawRequest(...records);
    assertSameAsDecoder(body);
    const got = checkProtoLogs(body, NOW, MAX_FUTURE);
    assert.equal(batchSize(got.batch), 2);
    assert.deepEqual(sorted(got.rejected), [['duplicate_attribute_key', 1]]);
  });
});

describe('OTLP protobuf logs checker at message ends', () => {
  it('reads an empty value at the very end of a record as empty, whatever byte follows the record', () => {
    // The record ends with `12 00` (an attribute with no value); the next byte is the tag of the
    // next ResourceLogs, 0x0a, which must not be taken as the start of the value.
    const record = Buffer.concat([TIME, field(0x32, Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, Buffer.alloc(0))]))]);
    const resourceLogs = field(0x0a, field(0x12, field(0x12, record)));
    const body = Buffer.concat([resourceLogs, resourceLogs]);
    assertSameAsDecoder(body);
    assert.equal(batchSize(checkProtoLogs(body, NOW, MAX_FUTURE).batch), 2);
  });
});

describe('OTLP log records batch', () => {
  const body = request(Array.from({ length: 10 }, (_, i) => ({ time_unix_nano: NS, body: str(`line ${i}`), attributes: [kv('i', { int_value: String(i) })] })));

  it('counts its events without building them, and builds them once, in order, when read', () => {
    const { batch } = checkProtoLogs(body, NOW, MAX_FUTURE);
    assert.equal(batch.records?.length, 1);
    assert.equal(batchSize(batch), 10);
    const items = batch.items;
    assert.equal(batch.items, items, 'built once');
    assert.deepEqual(items.map((e) => e.body), Array.from({ length: 10 }, (_, i) => `line ${i}`));
  });

  it('slices as views of the same records, clamped to what it holds', () => {
    const records = checkProtoLogs(body, NOW, MAX_FUTURE).batch.records![0] as OtlpLogRecords;
    const part = records.slice(3, 7);
    assert.equal(part.count, 4);
    assert.equal(part.body, records.body);
    assert.deepEqual(part.build().map((e) => e.body), ['line 3', 'line 4', 'line 5', 'line 6']);
    assert.deepEqual(part.slice(1, 2).build().map((e) => e.body), ['line 4']);
    assert.equal(part.slice(2, 99).count, 2);
    assert.equal(part.slice(5, 9).count, 0);
    assert.deepEqual(part.slice(5, 9).build(), []);
  });

  it('builds events that were in the future when they arrived but are accepted: acceptance is not decided twice', () => {
    const soon = `${BigInt(NOW + 1000) * 1_000_000n}`;
    const { batch } = checkProtoLogs(request([{ time_unix_nano: soon, body: str('x') }]), NOW, MAX_FUTURE);
    assert.equal(batch.items.length, 1);
  });

  it('holds no records for a request without valid ones', () => {
    const { batch, rejected } = checkProtoLogs(request([{ time_unix_nano: '0', body: str('x') }]), NOW, MAX_FUTURE);
    assert.equal(batchSize(batch), 0);
    assert.equal(batch.records, undefined);
    assert.deepEqual(sorted(rejected), [['zero_timestamp', 1]]);
  });
});
