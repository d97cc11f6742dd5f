import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricKind, type MetricBatch, type ReceiverInstance } from '../../../src/api';
import { CollectingOutput, receiverContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../receivers/prometheus_remote_write';
import type { RemoteWriteReceiverConfig } from '../../../receivers/prometheus_remote_write/config';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server';

const EXPOSITION = '# TYPE rw_in_jobs_total counter\nrw_in_jobs_total{queue="a"} 42\n# TYPE rw_in_temp gauge\nrw_in_temp 21.5\n';

describe('prometheus_remote_write receiver ← real Prometheus', function () {
  // Up to 20 s for Prometheus to be ready, then up to 30 s for its first remote writes.
  this.timeout(90_000);
  let prom: RunningPrometheus | undefined;
  let receiver: ReceiverInstance | undefined;
  let target: Server | undefined;
  after(async () => {
    await prom?.stop();
    await receiver?.shutdown?.();
    target?.closeAllConnections();
    target?.close();
  });

  it('receives what Prometheus scrapes: up, the target’s samples, counters by _total', async () => {
    target = createServer((_, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(EXPOSITION));
    await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
    const targetAddr = `127.0.0.1:${(target.address() as AddressInfo).port}`;
    const output = new CollectingOutput(['metrics']);
    const ctx = receiverContext({ config: pluginConfig<RemoteWriteReceiverConfig>(plugin, { endpoint: '127.0.0.1:0' }), output });
    receiver = plugin.create(ctx);
    await receiver.start!();
    prom = await startPrometheus({
      remoteWriteTo: `http://${receiver.address!()}/api/v1/write`,
      scrapeTargets: [{ job: 'rwtarget', targets: [targetAddr] }],
    });
    const sink = output.sink('metrics');
    const find = (name: string) => {
      for (const b of sink.batches as MetricBatch[]) {
        for (let i = 0; i < b.length; i++) {
          const info = ctx.series.info(b.series[i]!);
          if (info.name === name) return { info, value: b.values[i]!, ts: b.timestamps[i]! };
        }
      }
      return undefined;
    };
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(find('up') && find('rw_in_jobs_total') && find('rw_in_temp'))) await new Promise((r) => setTimeout(r, 200));
    const up = find('up');
    assert.ok(up, 'up arrived');
    assert.deepEqual(up.info.labels, ['instance', targetAddr, 'job', 'rwtarget']);
    assert.equal(up.value, 1);
    assert.ok(Math.abs(up.ts - Date.now()) < 60_000);
    const jobs = find('rw_in_jobs_total')!;
    assert.deepEqual(jobs.info.labels, ['instance', targetAddr, 'job', 'rwtarget', 'queue', 'a']);
    assert.equal(jobs.value, 42);
    assert.equal(jobs.info.kind, MetricKind.COUNTER);
    const temp = find('rw_in_temp')!;
    assert.equal(temp.value, 21.5);
    assert.equal(temp.info.kind, MetricKind.GAUGE);
  });
});
