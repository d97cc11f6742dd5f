import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recordsBatch, type TelemetryEvent } from '../../../src/api';
import { encodeLogRecordsRequest, LogRecordsRequest } from '../../../src/otlp/encode';
import { OtlpLogRecords } from '../../../src/otlp/proto/logs-check';
import { decodeProtoLogs } from '../../../src/otlp/proto/logs-decoder';
import { otlpType } from '../../fixtures/otlp/otlp-proto';
import { standardLogsRequest } from '../../fixtures/otlp/standard-payloads';
import { NOW } from '../proto/log-arbitraries';
import { line, logsRequest, recordsOf, refused, requestArb } from './log-requests';

/** The events a request holds, built as a batch of the records would build them, all of them valid. */
function eventsOf(body: Buffer): TelemetryEvent[] {
  const got = decodeProtoLogs(body, Infinity, 0);
  assert.equal(got.rejected.total, 0, 'every record sent is valid');
  return got.events;
}

function expected(records: readonly OtlpLogRecords[]): TelemetryEvent[] {
  return [...recordsBatch(records).items];
}

/** The request as protobufjs reads it: resources, scopes and the bodies of their records. */
function shape(body: Buffer): unknown {
  const type = otlpType('ExportLogsServiceRequest');
  const req = type.toObject(type.decode(body), { longs: String }) as any;
  return (req.resource_logs ?? []).map((rl: any) => ({
    service: rl.resource.attributes[0].value.string_value,
    schema: rl.schema_url,
    scopes: rl.scope_logs.map((sl: any) => [sl.scope.name, sl.scope.version, sl.schema_url, ...sl.log_records.map((r: any) => r.body.string_value)]),
  }));
}

describe('OTLP log records as one request, copied from the bytes they arrived in', () => {
  it('holds exactly the records of any slices of any requests, under their own resource and scope (property)', () => {
    const cutsArb = fc.array(fc.tuple(fc.nat(2), fc.nat(), fc.nat()), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(requestArb, { minLength: 1, maxLength: 3 }), cutsArb, (bodies, cuts) => {
        const all = bodies.map(recordsOf);
        const picked = cuts.map(([b, x, y]) => {
          const r = all[b % all.length]!;
          const from = x % (r.count + 1);
          return r.slice(from, from + (y % (r.count - from + 1)));
        });
        assert.deepStrictEqual(eventsOf(encodeLogRecordsRequest(picked)), expected(picked));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out refused records in the middle of a scope, and resources and scopes without picked records', () => {
    const body = logsRequest([
      { service: 'a', scopes: [{ scope: 'app', records: [line(0), refused(1), line(2)] }, { scope: 'db', records: [refused(3)] }] },
      { service: 'b', scopes: [{ scope: 'http', records: [refused(4)] }] },
      { service: 'c', scopes: [{ scope: 'app', records: [line(5)] }, { scope: 'db', records: [line(6), line(7)] }] },
    ]);
    const records = recordsOf(body);
    assert.equal(records.count, 5);
    assert.deepEqual(shape(encodeLogRecordsRequest([records])), [
      { service: 'a', schema: 'https://schema/a', scopes: [['app', '1.2', 'https://scope/app', 'line 0', 'line 2']] },
      { service: 'c', schema: 'https://schema/c', scopes: [['app', '1.2', 'https://scope/app', 'line 5'], ['db', '1.2', 'https://scope/db', 'line 6', 'line 7']] },
    ]);
    assert.deepEqual(shape(encodeLogRecordsRequest([records.slice(2, 4)])), [{ service: 'c', schema: 'https://schema/c', scopes: [['app', '1.2', 'https://scope/app', 'line 5'], ['db', '1.2', 'https://scope/db', 'line 6']] }]);
  });

  it('copies a request whose records all passed as it is, and several such requests one after the other', () => {
    const a = standardLogsRequest(NOW);
    const b = logsRequest([{ service: 'x', scopes: [{ scope: 'app', records: [line(1), line(2)] }, { scope: 'db', records: [line(3)] }] }]);
    assert.ok(encodeLogRecordsRequest([recordsOf(a)]).equals(a));
    assert.ok(encodeLogRecordsRequest([recordsOf(a), recordsOf(b)]).equals(Buffer.concat([a, b])));
  });

  it('plans slices that follow each other in one body as one: split and merged again, the request is the same', () => {
    const body = logsRequest([{ service: 'x', scopes: [{ scope: 'app', records: [line(0), line(1), line(2)] }] }, { service: 'y', scopes: [{ scope: 'app', records: [line(3)] }] }]);
    const r = recordsOf(body);
    assert.ok(encodeLogRecordsRequest([r.slice(0, 1), r.slice(1, 3), r.slice(3, 4)]).equals(body));
    // Ascending but not adjacent (a record left out between): still one walk, one resource and scope.
    assert.deepEqual(shape(encodeLogRecordsRequest([r.slice(0, 1), r.slice(2, 4)])), [
      { service: 'x', schema: 'https://schema/x', scopes: [['app', '1.2', 'https://scope/app', 'line 0', 'line 2']] },
      { service: 'y', schema: 'https://schema/y', scopes: [['app', '1.2', 'https://scope/app', 'line 3']] },
    ]);
  });

  it('keeps the original order of the records it is given, even when a body comes back later', () => {
    const r = recordsOf(logsRequest([{ service: 'x', scopes: [{ scope: 'app', records: [line(0), line(1), line(2)] }] }]));
    const picked = [r.slice(2, 3), r.slice(0, 2)];
    assert.deepEqual(eventsOf(encodeLogRecordsRequest(picked)).map((e) => e.body), ['line 2', 'line 0', 'line 1']);
    assert.equal((shape(encodeLogRecordsRequest(picked)) as unknown[]).length, 2, 'a walk per ascending run');
  });

  it('writes an empty request for no records, and reuses one planner request after request', () => {
    assert.equal(encodeLogRecordsRequest([]).length, 0);
    const planner = new LogRecordsRequest();
    const r = recordsOf(logsRequest([{ service: 'x', scopes: [{ scope: 'app', records: [line(0), refused(1), line(2)] }] }]));
    for (const picked of [[r], [r.slice(1, 2)], [r.slice(0, 0)]]) {
      const out = Buffer.alloc(planner.plan(picked) + 3, 0xee);
      planner.writeInto(out, 3);
      assert.deepEqual([...out.subarray(0, 3)], [0xee, 0xee, 0xee], 'nothing written before the offset');
      assert.deepStrictEqual(eventsOf(out.subarray(3)), expected(picked));
    }
  });

  it('holds any number of pieces: every other record of a large request, and those pieces shuffled', () => {
    const r = recordsOf(standardLogsRequest(NOW));
    const picked = Array.from({ length: 500 }, (_, i) => r.slice(2 * i, 2 * i + 1));
    const out = encodeLogRecordsRequest(picked);
    assert.deepStrictEqual(eventsOf(out), expected(picked));
    assert.equal((otlpType('ExportLogsServiceRequest').decode(out) as any).resource_logs[0].scope_logs[0].log_records.length, 500);
    const shuffled = picked.map((_, i) => picked[(i * 7) % 500]!);
    assert.deepStrictEqual(eventsOf(encodeLogRecordsRequest(shuffled)), expected(shuffled));
  });

  it('refuses offsets that are not records of the body rather than send fewer records', () => {
    const r = recordsOf(logsRequest([{ service: 'x', scopes: [{ scope: 'app', records: [line(0), line(1)] }] }]));
    const wrong = new OtlpLogRecords(r.body, Int32Array.from([r.starts[0]! + 1]), 0, 1);
    assert.throws(() => encodeLogRecordsRequest([wrong]), /not found in their request body/);
  });
});
