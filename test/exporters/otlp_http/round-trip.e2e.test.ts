import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineReceiver, eventBatch, type MetricBatch, type ReceiverContext, type SeriesTable, type TelemetryEvent } from '../../../src/api';
import { eventJson } from '../../../src/export/event-lines';
import { MetricLineFormatter } from '../../../src/export/metric-lines';
import { builtinRegistry } from '../../../src/plugins/builtins';
import type { Collector } from '../../../src/runtime/collector';
import { startCollector } from '../../../src/testing';
import { expectedAfterHop, sampleEvents } from '../../otlp/encode/sample-events';
import { sampleMetrics } from '../../otlp/encode/sample-metrics';

/** A receiver that sends the sample batches when the test asks, and remembers what it sent. */
interface SampleSource {
  emit(): Promise<{ metrics: MetricBatch; events: TelemetryEvent[]; series: SeriesTable }>;
}

const sampleSource = defineReceiver<Record<string, never>>({
  type: 'sample_source',
  description: 'test source of the sample batches',
  signals: ['metrics', 'events'],
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: (ctx: ReceiverContext<Record<string, never>>): SampleSource & { start(): void } => ({
    start() {},
    async emit() {
      const metrics = sampleMetrics(ctx.series, Date.now());
      const events = sampleEvents();
      await ctx.output.consume(metrics);
      await ctx.output.consume(eventBatch(events));
      return { metrics, events, series: ctx.series };
    },
  }),
});

type Line = Record<string, unknown>;

/** Lines compared with times to a microsecond (nanoseconds travel as fixed64, read back as a double). */
function comparable(line: Line): Line {
  const out: Line = { ...line };
  for (const key of ['timestamp_ms', 'start_time_ms']) if (typeof out[key] === 'number') out[key] = Math.round((out[key] as number) * 1000) / 1000;
  return out;
}

function sortLines(lines: Line[]): Line[] {
  return lines.map(comparable).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Nissa → otlp_http → Nissa (otlp receiver) → file: what arrives is what was sent. */
describe('otlp_http exporter: Nissa to Nissa round trip through two collectors', function () {
  this.timeout(30_000);
  let sender: Collector | undefined;
  let receiver: Collector | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await sender?.shutdown();
    await receiver?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const encoding of ['proto', 'json']) {
    it(`delivers every metric kind and every event field (${encoding})`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'nissa-otlp-http-e2e-'));
      const out = join(dir, 'out.jsonl');
      receiver = await startCollector(`
receivers: { otlp: { endpoint: "127.0.0.1:0" } }
exporters: { file: { path: ${JSON.stringify(out)} } }
service: { pipelines: { metrics: { receivers: [otlp], exporters: [file] }, events: { receivers: [otlp], exporters: [file] } } }
`);
      const address = (receiver.instance('otlp') as { address(): string }).address();
      const registry = builtinRegistry();
      registry.register(sampleSource);
      sender = await startCollector(`
receivers:
  sample_source: {}
exporters:
  otlp_http:
    endpoint: http://${address}
    encoding: ${encoding}
service:
  pipelines:
    metrics: { receivers: [sample_source], exporters: [otlp_http] }
    events: { receivers: [sample_source], exporters: [otlp_http] }
`, { registry });
      const sent = await (sender.instance('sample_source') as unknown as SampleSource).emit();
      // Shutdown drains the sending queue, then the receiving side flushes its file.
      await sender.shutdown();
      sender = undefined;
      await receiver.shutdown();
      receiver = undefined;

      const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
      const expectedMetrics = new MetricLineFormatter(sent.series).format(sent.metrics).trim().split('\n').map((l) => JSON.parse(l) as Line);
      const gotMetrics = lines.filter((l) => l['signal'] === 'metrics');
      assert.equal(gotMetrics.length, sent.metrics.length);
      assert.deepEqual(sortLines(gotMetrics), sortLines(expectedMetrics));

      const expectedEvents = sent.events.map((e) => JSON.parse(eventJson(expectedAfterHop(e))) as Line);
      const gotEvents = lines.filter((l) => l['signal'] === 'events');
      assert.equal(gotEvents.length, sent.events.length);
      assert.deepEqual(sortLines(gotEvents), sortLines(expectedEvents));
    });
  }
});
