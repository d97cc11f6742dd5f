import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TelemetryEvent } from '../../../src/model/events';
import { decodeProtoLogs } from '../../../src/otlp/proto/logs-decoder';
import { encodeOtlp } from '../../fixtures/otlp/otlp-proto';
import { standardLogsRequest } from '../../fixtures/otlp/standard-payloads';
import { referenceLogs } from './reference-logs';

const NOW = Date.UTC(2026, 0, 1);
const MAX_FUTURE = 3_600_000;
const NS = `${BigInt(NOW - 1000) * 1_000_000n + 123_456n}`;

type Obj = Record<string, unknown>;
const str = (s: string): Obj => ({ string_value: s });
const kv = (key: string, value?: Obj): Obj => (value === undefined ? { key } : { key, value });

function request(records: Obj[], resource: Obj[] = [kv('service.name', str('checkout'))]): Buffer {
  return encodeOtlp('ExportLogsServiceRequest', { resource_logs: [{ resource: { attributes: resource }, scope_logs: [{ scope: { name: 'app' }, log_records: records }] }] });
}

/** Events with their key order made visible (deepStrictEqual ignores key order; exporters do not). */
function ordered(events: readonly TelemetryEvent[]): unknown[] {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return { bytes: [...v] };
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.keys(v).map((k) => [k, walk((v as Obj)[k])]);
    return v;
  };
  return events.map(walk);
}

function assertSameAsReference(body: Buffer): void {
  const got = decodeProtoLogs(body, NOW, MAX_FUTURE);
  const want = referenceLogs(body, NOW, MAX_FUTURE);
  assert.deepStrictEqual(got.events, want.events);
  assert.deepStrictEqual(ordered(got.events), ordered(want.events));
  assert.deepStrictEqual([...got.rejected.reasons].sort(), [...want.rejected.reasons].sort());
}

const keyArb = fc.constantFrom('service', 'host', 'topic', 'request_id', 'epoch', 'event.name', 'event_type', '__proto__', '0', '7', 'k', 'clé', '');
const leafArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.constantFrom('checkout', 'host-1', 'host-2', 'http', '', 'x'.repeat(40), 'ünïcødé').map(str),
  fc.string({ unit: 'binary', maxLength: 50 }).map(str),
  fc.boolean().map((b) => ({ bool_value: b })),
  fc.oneof(fc.integer({ min: -200, max: 200 }), fc.constantFrom(2 ** 40, -(2 ** 53) - 2)).map((n) => ({ int_value: String(n) })),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '9007199254740993').map((n) => ({ int_value: n })),
  fc.double().map((d) => ({ double_value: d })),
  fc.uint8Array({ maxLength: 6 }).map((b) => ({ bytes_value: Buffer.from(b) })),
  fc.constant({}),
);
const valueArb: fc.Arbitrary<Obj> = fc.oneof(
  { weight: 6, arbitrary: leafArb },
  { weight: 1, arbitrary: fc.array(leafArb, { maxLength: 3 }).map((values) => ({ array_value: { values } })) },
  { weight: 1, arbitrary: fc.array(fc.tuple(keyArb, leafArb), { maxLength: 3 }).map((kvs) => ({ kvlist_value: { values: kvs.map(([k, v]) => kv(k, v)) } })) },
);
const bodyArb: fc.Arbitrary<Obj | undefined> = fc.oneof(
  fc.constant(undefined),
  valueArb,
  fc.constantFrom(32, 33, 100, 127, 128, 200, 16_383, 16_384, 20_000).map((n) => str('b'.repeat(n))),
  fc.tuple(fc.string({ unit: 'binary', minLength: 30, maxLength: 300 }), fc.nat(40)).map(([s, pad]) => str(' '.repeat(pad) + s)),
);
const idArb = (len: number): fc.Arbitrary<Buffer | undefined> => fc.oneof(fc.constant(undefined), fc.uint8Array({ minLength: len, maxLength: len }).map((b) => Buffer.from(b)), fc.constant(Buffer.alloc(len, 7)), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)));
const recordArb: fc.Arbitrary<Obj> = fc.record(
  {
    time_unix_nano: fc.constantFrom(NS, NS, NS, '0', `${BigInt(NOW + 7_200_000) * 1_000_000n}`),
    observed_time_unix_nano: fc.constantFrom(NS, '0'),
    severity_number: fc.constantFrom(0, 9, 17, 24, -1),
    severity_text: fc.constantFrom('', 'INFO', 'WARN'),
    body: bodyArb,
    attributes: fc.array(fc.tuple(keyArb, fc.option(valueArb, { nil: undefined })).map(([k, v]) => kv(k, v)), { maxLength: 7 }),
    trace_id: idArb(16),
    span_id: idArb(8),
    event_name: fc.constantFrom('', 'order.created'),
  },
  { requiredKeys: [] },
);
/** Records picked from a few templates, so shapes, keys and whole attributes repeat as in real traffic. */
const recordsArb = fc.tuple(fc.array(recordArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 60 })).map(([templates, picks]) => picks.map((i) => templates[i % templates.length]!));

describe('OTLP protobuf logs decoder', () => {
  it('decodes any request exactly as the reflection-based reference (events, key order, refusals)', () => {
    fc.assert(
      fc.property(recordsArb, fc.array(fc.tuple(keyArb, leafArb).map(([k, v]) => kv(k, v)), { maxLength: 3 }), (records, resource) => assertSameAsReference(request(records, resource))),
      { numRuns: 400 },
    );
  });

  it('decodes the bench payload as the reference, request after request (shapes compiled, caches warm)', () => {
    const body = standardLogsRequest(NOW);
    for (let i = 0; i < 3; i++) assertSameAsReference(body);
    const { events } = decodeProtoLogs(body, NOW, MAX_FUTURE);
    assert.equal(events.length, 1000);
    assert.deepEqual(Object.keys(events[5]!.attributes), ['service', 'host', 'topic', 'request_id', 'epoch']);
    assert.deepEqual([events[5]!.epoch, events[5]!.requestId, events[5]!.topic, events[5]!.traceId], [7, 'req-5', 'http', '05'.repeat(16)]);
  });

  it('keeps a hot shape exact: the 16th and later records of one key set equal the reference', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      time_unix_nano: NS,
      body: str(`line ${i}`),
      attributes: [kv('request_id', str(`r${i % 3}`)), kv('epoch', { int_value: String(i) }), kv('0', str('zero')), kv('topic', str(i % 2 ? 'a' : 'b')), kv('event_type', str('t'))],
    }));
    assertSameAsReference(request(records));
    const { events } = decodeProtoLogs(request(records), NOW, MAX_FUTURE);
    assert.deepEqual([events[39]!.epoch, events[39]!.requestId, events[39]!.topic, events[39]!.eventType], [39, 'r0', 'a', 't']);
    assert.deepEqual(Object.keys(events[39]!.attributes), ['0', 'request_id', 'epoch', 'topic', 'event_type']);
  });

  it('keeps `__proto__` an own attribute that never changes the prototype, however often the shape recurs', () => {
    const records = Array.from({ length: 30 }, () => ({ time_unix_nano: NS, attributes: [kv('a', str('1')), kv('__proto__', { kvlist_value: { values: [kv('polluted', str('yes'))] } })] }));
    const { events } = decodeProtoLogs(request(records), NOW, MAX_FUTURE);
    assert.equal(events.length, 30);
    for (const e of events) {
      assert.equal(Object.getPrototypeOf(e.attributes), Object.prototype);
      assert.ok(Object.prototype.hasOwnProperty.call(e.attributes, '__proto__'));
      assert.equal((e.attributes as { polluted?: string }).polluted, undefined);
    }
  });

  it('refuses a duplicate key in a record whose first keys repeat the previous shape', () => {
    const good = { time_unix_nano: NS, attributes: [kv('a', str('1')), kv('b', str('2'))] };
    const records = [...Array.from({ length: 20 }, () => good), { ...good, attributes: [kv('a', str('1')), kv('b', str('2')), kv('a', str('3'))] }, { ...good, attributes: [kv('a', str('1')), kv('a', str('1'))] }, good];
    const got = decodeProtoLogs(request(records), NOW, MAX_FUTURE);
    assert.equal(got.events.length, 21);
    assert.deepEqual([...got.rejected.reasons], [['duplicate_attribute_key', 2]]);
    assertSameAsReference(request(records));
  });

  it('gives every record its own array, map and bytes values, even when their bytes repeat', () => {
    const attrs = [kv('list', { array_value: { values: [str('x')] } }), kv('map', { kvlist_value: { values: [kv('k', str('v'))] } }), kv('raw', { bytes_value: Buffer.from([1, 2]) }), kv('s', str('same'))];
    const { events } = decodeProtoLogs(request([{ time_unix_nano: NS, attributes: attrs }, { time_unix_nano: NS, attributes: attrs }]), NOW, MAX_FUTURE);
    const [a, b] = events.map((e) => e.attributes);
    assert.notEqual(a!['list'], b!['list']);
    assert.notEqual(a!['map'], b!['map']);
    assert.notEqual(a!['raw'], b!['raw']);
    assert.deepEqual(a, b);
  });

  it('refuses invalid UTF-8 in a key, a value or a body, and decodes the records around it the same as without it', () => {
    const records = (mark: string): Obj[] => [
      { time_unix_nano: NS, body: str('b'.repeat(50)), attributes: [kv('k', str('v1')), kv('host', str('h1'))] },
      { time_unix_nano: NS, body: str(mark === 'body' ? `${'b'.repeat(45)}ZZZZ!` : 'b'.repeat(50)), attributes: [kv(mark === 'key' ? 'ZZZZ' : 'k', str('v1')), kv('host', str(mark === 'value' ? 'ZZZZ' : 'h1'))] },
      { time_unix_nano: NS, body: str('b'.repeat(50)), attributes: [kv('k', str('v1')), kv('host', str('h1'))] },
    ];
    for (const mark of ['key', 'value', 'body']) {
      const body = request(records(mark));
      const at = body.indexOf('ZZZZ');
      body[at] = 0xff;
      body[at + 1] = 0xfe;
      const got = decodeProtoLogs(body, NOW, MAX_FUTURE);
      assert.deepEqual([...got.rejected.reasons], [['invalid_utf8', 1]], mark);
      assert.equal(got.events.length, 2, mark);
      assert.deepStrictEqual(got.events[1], got.events[0], mark);
    }
  });

  it('decodes bodies of every length class and non-ASCII text exactly', () => {
    const texts = ['', 'short', 'é'.repeat(20), 'a'.repeat(33) + 'é', 'x'.repeat(127), 'y'.repeat(128), `${'z'.repeat(16_000)}✓`, 'w'.repeat(16_384), '日本語のログ'.repeat(30)];
    const { events, rejected } = decodeProtoLogs(request(texts.map((t) => ({ time_unix_nano: NS, body: str(t) }))), NOW, MAX_FUTURE);
    assert.equal(rejected.total, 0);
    assert.deepEqual(events.map((e) => e.body), texts);
  });
});
