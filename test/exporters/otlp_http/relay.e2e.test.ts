import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLogRecordsRequest } from '../../../src/otlp/encode';
import { OtlpLogRecords } from '../../../src/otlp/proto/logs-check';
import type { Collector } from '../../../src/runtime/collector';
import { startCollector } from '../../../src/testing';
import { line, logsRequest, recordsOf } from '../../otlp/encode/log-requests';
import { MockOtlpServer } from './mock-server';

function post(address: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${address}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A record the receiver refuses: no time at all. */
const untimed = { severity_number: 9, body: { string_value: 'no time' } };

/** otlp receiver → batch → otlp_http with a disk queue: a relay forwards log records as their bytes. */
describe('otlp_http exporter: an OTLP logs relay', function () {
  this.timeout(30_000);
  let server: MockOtlpServer;
  let relay: Collector | undefined;
  let dir: string;
  const build = OtlpLogRecords.prototype.build;
  let builds = 0;

  beforeEach(async () => {
    server = new MockOtlpServer();
    dir = mkdtempSync(join(tmpdir(), 'nissa-otlp-relay-'));
    builds = 0;
    OtlpLogRecords.prototype.build = function (this: OtlpLogRecords) {
      builds++;
      return build.call(this);
    };
  });

  afterEach(async () => {
    OtlpLogRecords.prototype.build = build;
    await relay?.shutdown();
    relay = undefined;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers exactly the records it accepted, under their resources and scopes, and never builds an event', async () => {
    const base = await server.start();
    relay = await startCollector(`
receivers: { otlp: { endpoint: "127.0.0.1:0" } }
processors: { batch: { send_batch_size: 1000, timeout: 50ms } }
exporters:
  otlp_http:
    endpoint: ${base}
    compression: none
    sending_queue: { storage: disk, directory: ${JSON.stringify(join(dir, 'queue'))} }
service: { pipelines: { events: { receivers: [otlp], processors: [batch], exporters: [otlp_http] } } }
`);
    const address = (relay.instance('otlp') as { address(): string }).address();
    const first = logsRequest([
      { service: 'a', scopes: [{ scope: 'app', records: [line(0), untimed, line(1)] }] },
      { service: 'b', scopes: [{ scope: 'db', records: [line(2)] }] },
    ]);
    const second = logsRequest([{ service: 'c', scopes: [{ scope: 'http', records: [line(3), line(4)] }] }]);
    assert.equal(await post(address, first), 200);
    assert.equal(await post(address, second), 200);
    await relay.shutdown(); // drains the batch processor and the sending queue
    relay = undefined;

    // However the batch processor grouped them, the bytes sent are the accepted records' bytes in order.
    const sent = Buffer.concat(server.requests.map((r) => r.body));
    assert.ok(sent.equals(Buffer.concat([encodeLogRecordsRequest([recordsOf(first)]), second])));
    assert.deepEqual(server.requests.map((r) => r.path), server.requests.map(() => '/v1/logs'));
    assert.equal(builds, 0, 'no event was built on the way');
  });
});
