import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TelemetryEvent } from '../../../src/model/events';
import { decodeProtoLogs } from '../../../src/otlp/proto/logs-decoder';
import { standardLogsRequest } from '../../fixtures/otlp/standard-payloads';
import { kv, MAX_FUTURE, NOW, NS, recordsArb, keyArb, leafArb, request, str, type Obj } from './log-arbitraries';
import { referenceLogs } from './reference-logs';

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

  it('keeps each key its own after a record refused for its value, then a record of old bytes and a new shape', () => {
    // Records {a:"1"}, {b:<invalid UTF-8>} (refused), {a:"1", c:"2"}, then W. The refused value
    // once left the key memo on `b` while the pair memo still described `a`.
    const wrongKey = '0a60125e12130940420f000000000032080a016112030a013112130940420f000000000032080a016212030a01ff121d0940420f000000000032080a016112030a013132080a016312030a013212130940420f000000000032080a016212030a0132';
    const falseDuplicate = '0a6a126812130940420f000000000032080a016112030a013112130940420f000000000032080a016212030a01ff121d0940420f000000000032080a016112030a013132080a016312030a0132121d0940420f000000000032080a016212030a013232080a016112030a0133';
    const last = (hex: string): unknown => {
      const { events, rejected } = decodeProtoLogs(Buffer.from(hex, 'hex'), 10, 0);
      assert.deepEqual([...rejected.reasons], [['invalid_utf8', 1]]);
      return events.at(-1)!.attributes;
    };
    assert.deepEqual(last(wrongKey), { b: '2' });
    assert.deepEqual(last(falseDuplicate), { b: '2', a: '3' });
  });
});
