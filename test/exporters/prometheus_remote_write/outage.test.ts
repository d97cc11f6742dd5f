import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { startCollector } from '../../../src/testing/collector';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server';
import { remoteWriteBody } from '../../helpers/remote-write-body';

/**
 * Series per push, one push every 100 ms: about 30,000 samples/s, so the outage leaves some
 * 600,000 samples waiting in the queue (Prometheus itself ingests 260,000-370,000/s here). They
 * span every shard (blocks of 64 ids), so shards fail and recover independently.
 */
const SERIES = 3000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The pid of the Prometheus this test process started on `port` (our own child, found by its id). */
function prometheusPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const ppid = Number(/^\d+ \(.*\) \S+ (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1]);
      if (ppid === process.pid && cmd.includes(`--web.listen-address=127.0.0.1:${port}`)) return Number(entry);
    } catch {
      // the process went away while we looked
    }
  }
  throw new Error(`no prometheus child on port ${port}`);
}

function request(tick: number, ts: number): Buffer {
  const timeseries = Array.from({ length: SERIES }, (_, i) => ({
    labels: [{ name: '__name__', value: 'rw_outage' }, { name: 'series', value: String(i) }],
    samples: [{ value: tick, timestamp: ts }],
  }));
  return remoteWriteBody({ timeseries });
}

describe('prometheus_remote_write: Prometheus down for 20 s under load, through a running collector', function () {
  this.timeout(150_000);
  let prom: RunningPrometheus | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  after(async () => {
    await collector?.shutdown();
    await prom?.stop();
  });

  it('loses nothing and keeps per-series order', async () => {
    prom = await startPrometheus({ remoteWriteReceiver: true });
    collector = await startCollector(`
receivers:
  prometheus_remote_write/in:
    endpoint: 127.0.0.1:0
exporters:
  prometheus_remote_write/out:
    endpoint: ${prom.url}/api/v1/write
    add_metric_suffixes: false
    request_timeout: 2s
    timeout: 5s
    sending_queue: { num_consumers: 1 }
    retry_on_failure: { initial_interval: 100ms, max_interval: 1s, max_elapsed_time: 0s }
    breaker: { reset_timeout: 500ms }
service:
  pipelines:
    metrics:
      receivers: [prometheus_remote_write/in]
      exporters: [prometheus_remote_write/out]
`);
    const url = `http://${(collector.instance('prometheus_remote_write/in') as { address(): string }).address()}/api/v1/write`;
    let sent = 0;
    let pushing = true;
    const pusher = (async () => {
      for (let tick = 0; pushing; tick++) {
        const body = request(tick, Date.now());
        // A refused push (back-pressure) is pushed again, as Prometheus would.
        for (;;) {
          const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' } });
          if (res.status === 204) break;
          await sleep(100);
        }
        sent += SERIES;
        await sleep(100);
      }
    })();
    await sleep(2000);
    process.kill(prometheusPid(prom.port), 'SIGTERM');
    await sleep(20_000);
    await prom.restart();
    // Pushing on for a while after the restart, and until the load is heavy enough to mean
    // something (a loaded machine pushes less often during the fixed sleeps above).
    const enough = Date.now() + 2000;
    while (Date.now() < enough || sent <= SERIES * 150) await sleep(100);
    pushing = false;
    await pusher;
    const deadline = Date.now() + 30_000;
    let stored = 0;
    while (Date.now() < deadline) {
      const r = await prom.query('sum(count_over_time(rw_outage[10m]))');
      stored = r.length > 0 ? Number(r[0]!.value![1]) : 0;
      if (stored >= sent) break;
      await sleep(500);
    }
    assert.ok(sent > SERIES * 150, `load was too light: ${sent} samples`);
    assert.equal(stored, sent, 'every sample sent before, during and after the outage is in Prometheus');
    const perSeries = await prom.query('count_over_time(rw_outage[10m])');
    assert.equal(perSeries.length, SERIES);
    for (const s of perSeries) assert.equal(Number(s.value![1]), sent / SERIES);
  });
});
