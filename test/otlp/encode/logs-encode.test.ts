import assert from 'node:assert/strict';
import type { TelemetryEvent } from '../../../src/api';
import { logsJson, LogsProtoEncoder, ProtoWriter } from '../../../src/otlp/encode';
import { decodeJsonLogs } from '../../../src/otlp/json/logs-json';
import { decodeProtoLogs } from '../../../src/otlp/proto/logs-decoder';
import { otlpType } from '../../fixtures/otlp/otlp-proto';
import { expectedAfterHop as expected, sampleEvents, SAMPLE_EVENTS_TIME as T } from './sample-events';

const NOW = Date.now();

describe('OTLP logs encoding of events', () => {
  it('writes log records that protobufjs reflection reads', () => {
    const body = Buffer.from(new LogsProtoEncoder().encode(sampleEvents()));
    const type = otlpType('ExportLogsServiceRequest');
    const req = type.toObject(type.decode(body), { longs: String, bytes: String }) as any;
    assert.equal(req.resource_logs.length, 2, 'one ResourceLogs per distinct resource');
    assert.deepEqual(req.resource_logs[0].resource.attributes.map((kv: any) => [kv.key, kv.value.string_value]), [['service.name', 'checkout'], ['host.name', 'h1']]);
    const [first, second] = req.resource_logs[0].scope_logs[0].log_records;
    assert.equal(first.time_unix_nano, String(BigInt(T) * 1_000_000n));
    assert.deepEqual([first.severity_number, first.severity_text, first.body.string_value, first.event_name], [17, 'ERROR', 'payment failed: card declined', 'payment.failed']);
    assert.equal(Buffer.from(first.trace_id, 'base64').toString('hex'), '0102030405060708090a0b0c0d0e0f10');
    assert.equal(Buffer.from(first.span_id, 'base64').toString('hex'), 'a1a2a3a4a5a6a7a8');
    const attrs = Object.fromEntries(first.attributes.map((kv: any) => [kv.key, kv.value]));
    assert.deepEqual(attrs['retries'], { int_value: '3' });
    assert.deepEqual(attrs['amount'], { double_value: 12.5 });
    assert.deepEqual(attrs['huge'], { int_value: String(2n ** 60n) });
    assert.deepEqual(attrs['epoch'], { int_value: '7' });
    assert.deepEqual(attrs['request_id'], { string_value: 'req-1' });
    assert.deepEqual(second.body.kvlist_value.values.map((kv: any) => kv.key), ['action', 'attempts', 'list']);
    const third = req.resource_logs[1].scope_logs[0].log_records[0];
    assert.equal(third.time_unix_nano, String(BigInt(T) * 1_000_000n + 2_500_000n), 'fractions of a millisecond are kept');
    assert.equal(third.body, undefined);
    assert.equal(req.resource_logs[1].resource.attributes, undefined);
  });

  it('round-trips through the project decoders (protobuf and JSON) to the same events', () => {
    const events = sampleEvents();
    const proto = decodeProtoLogs(Buffer.from(new LogsProtoEncoder().encode(events)), NOW, 3_600_000);
    const json = decodeJsonLogs(JSON.parse(logsJson(events).toString('utf8')), NOW, 3_600_000);
    assert.equal(proto.rejected.total, 0);
    assert.equal(json.rejected.total, 0);
    const want = events.map(expected);
    // The receiver reads fixed64 nanoseconds into a double: times agree to well under a microsecond.
    const roughTimes = (got: TelemetryEvent[]): TelemetryEvent[] =>
      got.map((e, k) => {
        assert.ok(Math.abs(e.timestampMs - want[k]!.timestampMs) < 1e-3, `event ${k} time`);
        return { ...e, timestampMs: want[k]!.timestampMs };
      });
    assert.deepEqual(roughTimes(proto.events), want);
    assert.deepEqual(roughTimes(json.events), want);
  });
});

describe('ProtoWriter', () => {
  it('writes nanoseconds exactly for millisecond times beyond 2^53 ns', () => {
    const w = new ProtoWriter(16);
    const cases = [0, 1, 1.5, 1_767_225_599_000, 1_767_225_599_123.456789, 4_102_444_800_000.999];
    for (const ms of cases) {
      w.reset();
      w.nanos(ms);
      const got = Buffer.from(w.written()).readBigUInt64LE(0);
      const whole = BigInt(Math.floor(ms));
      const frac = BigInt(Math.round((ms - Math.floor(ms)) * 1e6));
      assert.equal(got, whole * 1_000_000n + frac, `ms ${ms}`);
    }
  });

  it('moves message bodies whose length needs two or three bytes and grows its buffer', () => {
    const w = new ProtoWriter(8);
    for (const size of [127, 128, 16_383, 16_384, 70_000]) {
      w.reset();
      const at = w.begin(0x0a);
      w.stringField(0x0a, 'y'.repeat(size));
      w.end(at);
      const type = otlpType('ArrayValue');
      const decoded = type.decode(w.written()) as any;
      assert.equal(decoded.values[0].string_value.length, size);
    }
  });
});
