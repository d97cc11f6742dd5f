import { strict as assert } from 'node:assert';
import { startCollectorProcess, type CollectorProcess } from '../../faults/collector-process';
import { startCountingSink, type CountingSink } from '../../helpers/counting-sink';
import { remoteWriteBody } from '../../helpers/remote-write-body';

/** What V8 prints (with --trace-protector-invalidation) the first time an isolate detaches an ArrayBuffer. */
const DETACHING = 'Invalidating protector cell ArrayBufferDetaching';

/**
 * Once an isolate has detached an ArrayBuffer (moved one to another thread), V8 guards every
 * typed-array access in it against detachment, and the event loop's decoders and encoders slow
 * down (see the receiver's README). A relay through a real `nissa run` process must leave the
 * event loop's isolate intact: the only detaching isolate is the inflate thread's, which moves
 * its output out. V8's trace does not name the isolate, so the test counts them: it relies on the
 * thread moving its output (one line), and two lines mean the event loop detached too.
 */
describe('remote write relay: the event loop never detaches an ArrayBuffer', function () {
  this.timeout(90_000);
  let sink: CountingSink;
  let collector: CollectorProcess | undefined;

  afterEach(async () => {
    collector?.kill();
    collector = undefined;
    await sink?.stop();
  });

  it('relays requests with V8 reporting at most one isolate (the inflate thread) that detached', async () => {
    sink = await startCountingSink();
    collector = await startCollectorProcess(`
receivers:
  prometheus_remote_write: { endpoint: 127.0.0.1:0 }
exporters:
  prometheus_remote_write: { endpoint: ${sink.url}, add_metric_suffixes: false }
service:
  telemetry: { metrics: { endpoint: 127.0.0.1:0 } }
  pipelines:
    metrics: { receivers: [prometheus_remote_write], exporters: [prometheus_remote_write] }
`, ['--trace-protector-invalidation']);
    const url = `${collector.receivers.get('prometheus_remote_write')}/api/v1/write`;
    const requests = 20;
    for (let r = 0; r < requests; r++) {
      const timeseries = Array.from({ length: 200 }, (_, i) => ({ labels: [{ name: '__name__', value: 'relayed' }, { name: 'i', value: String(i) }], samples: [{ value: r, timestamp: 1_700_000_000_000 + r * 1000 }] }));
      const body = remoteWriteBody({ timeseries });
      const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' } });
      assert.equal(res.status, 204, await res.text());
    }
    await sink.waitFor(requests * 200, 30_000);
    assert.equal(await collector.stop(), 0);
    const detached = collector.log().split('\n').filter((line) => line.includes(DETACHING)).length;
    // One: the inflate thread moved its output (which also shows the trace reached this test).
    assert.equal(detached, 1, `isolates that detached an ArrayBuffer: ${detached}\n${collector.log()}`);
  });
});
