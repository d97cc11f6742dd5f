import assert from 'node:assert/strict';
import { recordsBatch, type EventRecords, type TelemetryEvent } from '../../../src/api';
import { decodeProtoLogs } from '../../../src/otlp/proto/logs-decoder';
import { line, logsRequest, recordsOf, refused, unbuildable } from '../../otlp/encode/log-requests';
import { mockServerFixture, rejection, startExporter } from './helpers';
import type { MockOtlpServer } from './mock-server';

/** Records that are not OTLP: the exporter must build their events to send them. */
class PlainRecords implements EventRecords {
  constructor(private readonly events: TelemetryEvent[]) {}
  get count(): number {
    return this.events.length;
  }
  build(): TelemetryEvent[] {
    return [...this.events];
  }
  slice(from: number, to: number): EventRecords {
    return new PlainRecords(this.events.slice(from, to));
  }
}

// Two resources, a record refused in the middle of a scope: 6 of 7 records are kept.
const BODY = logsRequest([
  { service: 'a', scopes: [{ scope: 'app', records: [line(0), refused(1), line(2)] }, { scope: 'db', records: [line(3)] }] },
  { service: 'b', scopes: [{ scope: 'http', records: [line(4), line(5), line(6)] }] },
]);

function bodies(server: MockOtlpServer, from = 0): string[][] {
  return server.requests.slice(from).map((r) => {
    const got = decodeProtoLogs(r.body, Infinity, 0);
    assert.equal(got.rejected.total, 0);
    return got.events.map((e) => String(e.body));
  });
}

describe('otlp_http exporter sending OTLP log records as they arrived', function () {
  this.timeout(10_000);
  const t = mockServerFixture();

  it('sends the records of a batch, gzip-compressed, in requests of max_items_per_request, without building events', async () => {
    t.started = await startExporter({ endpoint: t.base, max_items_per_request: 4 });
    const records = recordsOf(BODY);
    await t.started.exporter.consume(recordsBatch([unbuildable(records.slice(0, 2)), unbuildable(records.slice(2, 6))]));
    assert.deepEqual(bodies(t.server), [['line 0', 'line 2', 'line 3', 'line 4'], ['line 5', 'line 6']]);
    for (const r of t.server.requests) {
      assert.equal(r.path, '/v1/logs');
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.equal(r.headers['content-type'], 'application/x-protobuf');
    }
    // What the server got are the events the records hold, resource and scope included.
    const sent = t.server.requests.flatMap((r) => decodeProtoLogs(r.body, Infinity, 0).events);
    assert.deepStrictEqual(sent, records.build());
  });

  it('forwards a request whose records all passed byte for byte when uncompressed', async () => {
    t.started = await startExporter({ endpoint: t.base, compression: 'none' });
    const body = logsRequest([{ service: 'a', scopes: [{ scope: 'app', records: [line(0), line(1)] }] }]);
    await t.started.exporter.consume(recordsBatch([unbuildable(recordsOf(body))]));
    assert.equal(t.server.requests.length, 1);
    assert.ok(t.server.requests[0]!.raw.equals(body));
  });

  it('after a retryable failure sends only the requests that are left, still without building', async () => {
    t.started = await startExporter({ endpoint: t.base, max_items_per_request: 2 });
    const batch = recordsBatch([unbuildable(recordsOf(BODY))]);
    t.server.answers.push({ status: 200 }, { status: 503 });
    await rejection(t.started.exporter.consume(batch));
    await t.started.exporter.consume(batch);
    assert.deepEqual(bodies(t.server), [['line 0', 'line 2'], ['line 3', 'line 4'], ['line 3', 'line 4'], ['line 5', 'line 6']]);
  });

  it('builds the events when it sends JSON, or when the records are not OTLP log records', async () => {
    t.started = await startExporter({ endpoint: t.base, encoding: 'json', compression: 'none' });
    await t.started.exporter.consume(recordsBatch([recordsOf(BODY)]));
    const json = JSON.parse(t.server.requests[0]!.body.toString('utf8'));
    const jsonBodies = json.resourceLogs.flatMap((rl: any) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords.map((r: any) => r.body.stringValue)));
    assert.deepEqual(jsonBodies, ['line 0', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    await t.started.exporter.shutdown?.();

    t.started = await startExporter({ endpoint: t.base, compression: 'none' });
    const events = recordsOf(BODY).build();
    await t.started.exporter.consume(recordsBatch([new PlainRecords(events.slice(0, 3)), recordsOf(BODY).slice(3, 6)]));
    assert.deepEqual(bodies(t.server, 1), [['line 0', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']]);
  });

  it('builds the events when a batch would be cut into more than 16 requests (walking its body once per request would cost its square)', async () => {
    t.started = await startExporter({ endpoint: t.base, compression: 'none', max_items_per_request: 1 });
    const many = logsRequest([{ service: 'a', scopes: [{ scope: 'app', records: Array.from({ length: 17 }, (_, i) => line(i)) }] }]);
    await t.started.exporter.consume(recordsBatch([recordsOf(many)]));
    assert.equal(t.server.requests.length, 17);
    assert.deepEqual(bodies(t.server).flat(), Array.from({ length: 17 }, (_, i) => `line ${i}`));
    // 16 requests or fewer: the records are sent as they came (unbuildable ones would throw otherwise).
    await t.started.exporter.consume(recordsBatch([unbuildable(recordsOf(many).slice(0, 16))]));
    assert.equal(t.server.requests.length, 33);
  });
});
