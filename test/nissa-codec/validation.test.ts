import { strict as assert } from 'node:assert';
import { Writer } from 'protobufjs/minimal';
import { SeriesTable, type Signal } from '../../src/api';
import { DEFAULT_DECODE_LIMITS, NissaDecoder } from '../../src/nissa-codec';
import { concat, encodeObject, gauge, NOW, pointWithRawName } from './fixtures';

const HOUR = 3_600_000;
const hist = (h: Record<string, unknown>): Record<string, unknown> => gauge('h', {}, 0, { type: 'METRIC_TYPE_HISTOGRAM', histogram: h });
const manyLabels = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, 'v']));

/** [case, bad point, reason] — each bad point sits between two good ones. */
const METRIC_CASES: [string, Record<string, unknown>, string][] = [
  ['missing name', { value: 1, timestamp_ms: NOW, type: 'METRIC_TYPE_GAUGE' }, 'invalid_missing_field'],
  ['empty name', gauge(''), 'invalid_missing_field'],
  ['invalid metric name', gauge('1abc'), 'invalid_metric_name'],
  ['metric name with a dash', gauge('a-b'), 'invalid_metric_name'],
  ['invalid label name', gauge('m', { 'bad-name': 'x' }), 'invalid_label_name'],
  ['__name__ label', gauge('m', { __name__: 'x' }), 'invalid_label_name'],
  ['too many labels', gauge('m', manyLabels(65)), 'invalid_too_many_labels'],
  ['label value too long', gauge('m', { a: 'x'.repeat(2049) }), 'invalid_label_value_too_long'],
  ['type not set', { ...gauge('m'), type: 0 }, 'invalid_enum'],
  ['unknown type', { ...gauge('m'), type: 99 }, 'invalid_enum'],
  ['reserved type 6', { ...gauge('m'), type: 6 }, 'invalid_enum'],
  ['NaN value', gauge('m', {}, NaN), 'invalid_value'],
  ['infinite value', gauge('m', {}, Infinity), 'invalid_value'],
  ['no timestamp', { ...gauge('m'), timestamp_ms: 0 }, 'invalid_timestamp'],
  ['timestamp too old', { ...gauge('m'), timestamp_ms: NOW - 25 * HOUR }, 'invalid_timestamp'],
  ['timestamp too far ahead', { ...gauge('m'), timestamp_ms: NOW + HOUR }, 'invalid_timestamp'],
  ['histogram without data', { ...gauge('h'), type: 'METRIC_TYPE_HISTOGRAM' }, 'invalid_missing_field'],
  ['summary without data', { ...gauge('s'), type: 'METRIC_TYPE_SUMMARY' }, 'invalid_missing_field'],
  ['histogram bounds not ascending', hist({ bounds: [2, 1], bucket_counts: [0, 0, 0], count: 0 }), 'invalid_histogram'],
  ['histogram infinite bound', hist({ bounds: [Infinity], bucket_counts: [0, 0], count: 0 }), 'invalid_histogram'],
  ['histogram bucket count mismatch', hist({ bounds: [1], bucket_counts: [1], count: 1 }), 'invalid_histogram'],
  ['histogram count differs from buckets', hist({ bounds: [1], bucket_counts: [1, 1], count: 5 }), 'invalid_histogram'],
  ['histogram NaN sum', hist({ bounds: [1], bucket_counts: [1, 1], count: 2, sum: NaN }), 'invalid_histogram'],
  ['too many buckets', hist({ bounds: Array.from({ length: 600 }, (_, i) => i), bucket_counts: [], count: 0 }), 'invalid_too_many_elements'],
  ['summary quantile above 1', { ...gauge('s'), type: 'METRIC_TYPE_SUMMARY', summary: { quantiles: [1.5], values: [1], count: 1, sum: 1 } }, 'invalid_summary'],
  ['summary lengths differ', { ...gauge('s'), type: 'METRIC_TYPE_SUMMARY', summary: { quantiles: [0.5], values: [], count: 1, sum: 1 } }, 'invalid_summary'],
];

function decode(signal: Signal, bytes: Uint8Array) {
  return new NissaDecoder(new SeriesTable()).decode(signal, bytes, NOW);
}

function assertOnlyBadRejected(signal: Signal, bytes: Uint8Array, reason: string, kept = 2): void {
  const r = decode(signal, bytes);
  assert.equal(r.rejected, 1, `rejected (first error: ${r.firstError})`);
  assert.equal(r.accepted, kept);
  assert.deepEqual([...r.reasons], [[reason, 1]]);
  assert.match(r.firstError!, /^item 1: /);
}

describe('nissa codec validation', () => {
  describe('metric points', () => {
    for (const [name, bad, reason] of METRIC_CASES) {
      it(`${name} → ${reason}`, () => {
        const bytes = encodeObject('metrics', { points: [gauge('good_one', { a: '1' }), bad, gauge('good:two')] });
        assertOnlyBadRejected('metrics', bytes, reason);
      });
    }

    it('invalid UTF-8 in a name → invalid_utf8', () => {
      const good = encodeObject('metrics', { points: [gauge('ok')] });
      assertOnlyBadRejected('metrics', concat(good, pointWithRawName(Uint8Array.of(0x61, 0xff, 0xfe)), good), 'invalid_utf8');
    });

    it('duplicate label names → invalid_duplicate_label', () => {
      const w = Writer.create();
      w.uint32(10).fork().uint32(10).string('m');
      for (const v of ['1', '2']) w.uint32(18).fork().uint32(10).string('a').uint32(18).string(v).ldelim();
      w.uint32(25).double(1).uint32(32).int64(NOW).uint32(40).uint32(1).ldelim();
      const good = encodeObject('metrics', { points: [gauge('ok')] });
      assertOnlyBadRejected('metrics', concat(good, w.finish(), good), 'invalid_duplicate_label');
    });

    it('a known field with the wrong wire type → invalid_malformed for that point only', () => {
      const w = Writer.create();
      w.uint32(10).fork().uint32(10).string('m').uint32(24).uint32(5).ldelim(); // value as a varint
      const good = encodeObject('metrics', { points: [gauge('ok')] });
      assertOnlyBadRejected('metrics', concat(good, w.finish(), good), 'invalid_malformed');
    });

    it('unknown fields are skipped', () => {
      const w = Writer.create();
      w.uint32(10).fork().uint32(10).string('m').uint32(25).double(1).uint32(32).int64(NOW).uint32(40).uint32(1);
      w.uint32((99 << 3) | 2).string('future field').uint32((98 << 3) | 5).fixed32(1).ldelim();
      w.uint32((7 << 3) | 0).uint32(1); // unknown top-level field
      const r = decode('metrics', w.finish());
      assert.equal(r.accepted, 1);
      assert.equal(r.rejected, 0);
    });

    it('respects a configured time window', () => {
      const d = new NissaDecoder(new SeriesTable(), { ...DEFAULT_DECODE_LIMITS, maxAgeMs: 1000, maxFutureMs: 0 });
      const r = d.decode('metrics', encodeObject('metrics', { points: [gauge('a'), { ...gauge('b'), timestamp_ms: NOW - 2000 }, { ...gauge('c'), timestamp_ms: NOW + 1 }] }), NOW);
      assert.equal(r.accepted, 1);
      assert.equal(r.reasons.get('invalid_timestamp'), 2);
    });
  });

  describe('events', () => {
    const ev = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ topic: 't', event_type: 'e', timestamp_ms: NOW, ...extra });
    const kv = (key: string, v: unknown = 'x'): Record<string, unknown> => ({ key, value: { string_value: v } });
    let nested: Record<string, unknown> = { string_value: 'leaf' };
    for (let i = 0; i < 10; i++) nested = { array_value: { values: [nested] } };
    const cases: [string, Record<string, unknown>, string][] = [
      ['missing topic', ev({ topic: '' }), 'invalid_missing_field'],
      ['missing event_type', ev({ event_type: '' }), 'invalid_missing_field'],
      ['unknown severity', ev({ severity_number: 25 }), 'invalid_enum'],
      ['no timestamp', ev({ timestamp_ms: 0 }), 'invalid_timestamp'],
      ['too many attributes', ev({ attributes: Array.from({ length: 129 }, (_, i) => kv(`k${i}`)) }), 'invalid_too_many_attributes'],
      ['duplicate attribute key', ev({ attributes: [kv('a'), kv('a')] }), 'invalid_attribute'],
      ['empty attribute key', ev({ attributes: [kv('')] }), 'invalid_attribute'],
      ['nesting too deep', ev({ body: nested }), 'invalid_attribute'],
      ['body too large', ev({ body: { string_value: 'x'.repeat(70_000) } }), 'invalid_body_too_large'],
      ['attribute string too long', ev({ attributes: [kv('a', 'x'.repeat(17_000))] }), 'invalid_string_too_long'],
      ['bad trace id', ev({ trace_id: 'XYZ' }), 'invalid_trace_id'],
    ];
    for (const [name, bad, reason] of cases) {
      it(`${name} → ${reason}`, () => {
        assertOnlyBadRejected('events', encodeObject('events', { events: [ev(), bad, ev()] }), reason);
      });
    }
  });

  describe('alerts and control commands', () => {
    const alert = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ alert_name: 'A', state: 'ALERT_STATE_FIRING', starts_at_ms: NOW, ...extra });
    const cmd = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ command: 'flush', issued_at_ms: NOW, ...extra });
    const cases: [Signal, string, Record<string, unknown>, string][] = [
      ['alerts', 'missing alert_name', alert({ alert_name: '' }), 'invalid_missing_field'],
      ['alerts', 'state not set', alert({ state: 0 }), 'invalid_enum'],
      ['alerts', 'unknown state', alert({ state: 7 }), 'invalid_enum'],
      ['alerts', 'ends before it starts', alert({ ends_at_ms: NOW - 1 }), 'invalid_timestamp'],
      ['alerts', 'bad label name', alert({ labels: { 'a b': 'x' } }), 'invalid_label_name'],
      ['alerts', 'starts too long ago', alert({ starts_at_ms: NOW - 48 * HOUR }), 'invalid_timestamp'],
      ['control', 'missing command', cmd({ command: '' }), 'invalid_missing_field'],
      ['control', 'invalid command name', cmd({ command: 'Flush!' }), 'invalid_command'],
      ['control', 'no issued_at_ms', cmd({ issued_at_ms: 0 }), 'invalid_timestamp'],
    ];
    for (const [signal, name, bad, reason] of cases) {
      it(`${signal}: ${name} → ${reason}`, () => {
        const field = signal === 'alerts' ? 'alerts' : 'commands';
        const good = signal === 'alerts' ? alert() : cmd();
        assertOnlyBadRejected(signal, encodeObject(signal, { [field]: [good, bad, good] }), reason);
      });
    }
  });

  it('a request with only invalid items keeps nothing and reports every reason', () => {
    const r = decode('metrics', encodeObject('metrics', { points: [gauge('1x'), gauge('ok', {}, NaN), gauge('a', { 'b-c': '' })] }));
    assert.equal(r.accepted, 0);
    assert.equal(r.rejected, 3);
    assert.deepEqual([...r.reasons.keys()].sort(), ['invalid_label_name', 'invalid_metric_name', 'invalid_value']);
  });
});

