import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { eventBatch, PermanentError, RetryableError, SeriesTable } from '../../../src/api';
import { FakeClock } from '../../../src/testing';
import { encodeOtlp, otlpType } from '../../fixtures/otlp/otlp-proto';
import { sampleMetrics } from '../../otlp/encode/sample-metrics';
import { sampleEvents } from '../../otlp/encode/sample-events';
import { mockServerFixture, rejection, SECRET, startExporter } from './helpers';

describe('otlp_http exporter against a mock OTLP server', function () {
  this.timeout(10_000);
  const t = mockServerFixture();

  it('POSTs gzip-compressed protobuf to /v1/metrics and /v1/logs with the configured headers', async () => {
    const series = new SeriesTable();
    t.started = await startExporter({ endpoint: `${t.base}/`, headers: { Authorization: SECRET, 'X-Tenant': 'blue' } }, { series });
    const batch = sampleMetrics(series, Date.now());
    await t.started.exporter.consume(batch);
    await t.started.exporter.consume(eventBatch(sampleEvents()));
    assert.deepEqual(t.server.requests.map((r) => r.path), ['/v1/metrics', '/v1/logs']);
    for (const r of t.server.requests) {
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.deepEqual([...r.raw.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic on the wire');
      assert.ok(r.raw.length < r.body.length, 'the body is compressed');
      assert.equal(r.headers['content-type'], 'application/x-protobuf');
      assert.equal(r.headers['authorization'], SECRET);
      assert.equal(r.headers['x-tenant'], 'blue');
    }
    const metrics = otlpType('ExportMetricsServiceRequest').decode(t.server.requests[0]!.body) as any;
    const points = metrics.resource_metrics.flatMap((rm: any) => rm.scope_metrics[0].metrics.flatMap((m: any) => (m.gauge ?? m.sum ?? m.histogram ?? m.exponential_histogram ?? m.summary).data_points));
    assert.equal(points.length, batch.length);
    const logs = otlpType('ExportLogsServiceRequest').decode(t.server.requests[1]!.body) as any;
    assert.equal(logs.resource_logs.flatMap((rl: any) => rl.scope_logs[0].log_records).length, sampleEvents().length);
  });

  it('sends uncompressed OTLP/JSON when configured, to per-signal URL overrides', async () => {
    t.started = await startExporter({ endpoint: t.base, encoding: 'json', compression: 'none', logs_endpoint: `${t.base}/custom/logs` });
    await t.started.exporter.consume(eventBatch(sampleEvents()));
    const r = t.server.requests[0]!;
    assert.equal(r.path, '/custom/logs');
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(r.body.toString('utf8')).resourceLogs.length, 2);
  });

  it('rejects 429 as retryable with Retry-After in seconds or as an HTTP date', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    t.started = await startExporter({ endpoint: t.base }, { clock });
    t.server.answers.push({ status: 429, headers: { 'Retry-After': '7' }, body: 'slow down' });
    t.server.answers.push({ status: 429, headers: { 'Retry-After': new Date(clock.now() + 30_000).toUTCString() } });
    const events = eventBatch(sampleEvents());
    const first = await rejection(t.started.exporter.consume(events));
    assert.ok(first instanceof RetryableError);
    assert.equal(first.retryAfterMs, 7000);
    assert.match(first.message, /HTTP 429: slow down/);
    const second = await rejection(t.started.exporter.consume(events));
    assert.ok(second instanceof RetryableError);
    assert.equal(second.retryAfterMs, 30_000);
    await t.started.exporter.consume(events);
    assert.equal(t.server.requests.length, 3);
  });

  it('rejects 502, 503 and 504 as retryable, without a hint when no Retry-After is sent', async () => {
    t.started = await startExporter({ endpoint: t.base });
    for (const status of [502, 503, 504]) {
      t.server.answers.push({ status });
      const err = await rejection(t.started.exporter.consume(eventBatch(sampleEvents())));
      assert.ok(err instanceof RetryableError && !(err instanceof PermanentError), `status ${status}`);
      assert.equal((err as RetryableError).retryAfterMs, undefined);
    }
  });

  it('rejects 400 as permanent with the message of the google.rpc.Status body', async () => {
    t.started = await startExporter({ endpoint: t.base, headers: { Authorization: SECRET } });
    const status = encodeOtlp('Status', { code: 3, message: 'metric name is invalid' });
    t.server.answers.push({ status: 400, headers: { 'Content-Type': 'application/x-protobuf' }, body: status });
    t.server.answers.push({ status: 413, headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(20_000) });
    const err = await rejection(t.started.exporter.consume(eventBatch(sampleEvents())));
    assert.ok(err instanceof PermanentError);
    assert.match(err.message, /HTTP 400: metric name is invalid/);
    const big = await rejection(t.started.exporter.consume(eventBatch(sampleEvents())));
    assert.ok(big instanceof PermanentError);
    assert.ok(big.message.length < 700, 'the body is read with a cap and cut for the message');
    assert.ok(!JSON.stringify(t.started.ctx.logger.lines).includes('s3cr3t'));
    assert.ok(!err.message.includes('s3cr3t') && !big.message.includes('s3cr3t'));
  });

  it('times out a request the server never answers, as retryable', async () => {
    t.started = await startExporter({ endpoint: t.base, request_timeout: '200ms' });
    t.server.answers.push('hang');
    const err = await rejection(t.started.exporter.consume(eventBatch(sampleEvents())));
    assert.ok(err instanceof RetryableError);
    assert.equal((err as RetryableError).code, 'ERR_TIMEOUT');
  });

  it('rejects as retryable when the connection is refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    t.started = await startExporter({ endpoint: `http://127.0.0.1:${port}` });
    const err = await rejection(t.started.exporter.consume(eventBatch(sampleEvents())));
    assert.ok(err instanceof RetryableError);
    assert.match(err.message, /ECONNREFUSED/);
  });

  it('counts partial_success rejections as dropped and logs them at most once a minute', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    t.started = await startExporter({ endpoint: t.base, headers: { Authorization: SECRET } }, { clock });
    const response = encodeOtlp('ExportLogsServiceResponse', { partial_success: { rejected_log_records: 2, error_message: 'two records too old' } });
    t.server.fallback = { status: 200, headers: { 'Content-Type': 'application/x-protobuf' }, body: response };
    await t.started.exporter.consume(eventBatch(sampleEvents()));
    await t.started.exporter.consume(eventBatch(sampleEvents()));
    assert.equal(t.started.ctx.telemetry.drops.get('partial_success'), 4);
    const warnings = t.started.ctx.logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.deepEqual(warnings[0]!.fields, { rejected: 2, message: 'two records too old' });
    clock.advance(61_000);
    t.server.fallback = { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ partialSuccess: { rejectedLogRecords: '1', errorMessage: 'one' } }) };
    await t.started.exporter.consume(eventBatch(sampleEvents()));
    assert.equal(t.started.ctx.telemetry.drops.get('partial_success'), 5);
    const later = t.started.ctx.logger.lines.filter((l) => l.level === 'warn');
    assert.deepEqual(later[1]!.fields, { rejected: 3, message: 'one' });
    assert.ok(!JSON.stringify(t.started.ctx.logger.lines).includes('s3cr3t'));
  });

  it('splits a batch by max_items_per_request and, after a retryable failure, sends only what is left', async () => {
    const series = new SeriesTable();
    t.started = await startExporter({ endpoint: t.base, max_items_per_request: 3 }, { series });
    const batch = sampleMetrics(series, Date.now());
    t.server.answers.push({ status: 200 }, { status: 503 });
    await rejection(t.started.exporter.consume(batch));
    await t.started.exporter.consume(batch);
    const counts = t.server.requests.map((r) => {
      const req = otlpType('ExportMetricsServiceRequest').decode(r.body) as any;
      return req.resource_metrics.flatMap((rm: any) => rm.scope_metrics[0].metrics.flatMap((m: any) => (m.gauge ?? m.sum ?? m.histogram ?? m.exponential_histogram ?? m.summary).data_points)).length;
    });
    // 8 rows: requests of 3, 3 (refused once, then sent again) and 2.
    assert.deepEqual(counts, [3, 3, 3, 2]);
  });
});
