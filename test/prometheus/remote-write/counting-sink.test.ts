import assert from 'node:assert/strict';
import { startCountingSink, type CountingSink } from '../../helpers/counting-sink';
import { remoteWriteBody } from '../../helpers/remote-write-body';

function body(series: { name: string; samples: [number, number][] }[]): Buffer {
  return remoteWriteBody({
    timeseries: series.map((s) => ({ labels: [{ name: '__name__', value: s.name }], samples: s.samples.map(([timestamp, value]) => ({ timestamp, value })) })),
  });
}

const post = (sink: CountingSink, data: Buffer) => fetch(sink.url, { method: 'POST', body: data, headers: { 'Content-Encoding': 'snappy' } });

describe('counting sink (test helper)', () => {
  let sink: CountingSink | undefined;
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
  });

  it('counts samples and series, records them, and flags timestamps going back within a series', async () => {
    sink = await startCountingSink({ record: true });
    assert.equal((await post(sink, body([{ name: 'a', samples: [[1, 1], [2, 2]] }, { name: 'b', samples: [[5, 0]] }]))).status, 204);
    assert.equal((await post(sink, body([{ name: 'a', samples: [[3, 3]] }, { name: 'b', samples: [[4, 0]] }]))).status, 204);
    await sink.waitFor(5);
    assert.equal(sink.samples, 5);
    assert.equal(sink.series, 2);
    assert.equal(sink.requests, 2);
    assert.equal(sink.outOfOrder, 1, 'b went from 5 to 4');
    assert.deepEqual(sink.recorded[3], { labels: { __name__: 'a' }, timestamp: 3, value: 3 });
  });

  it('answers with injected statuses without counting, and 400 to bodies it cannot read', async () => {
    sink = await startCountingSink({ respond: (n) => (n === 1 ? { status: 503, headers: { 'Retry-After': '2' } } : undefined) });
    const first = await post(sink, body([{ name: 'a', samples: [[1, 1]] }]));
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '2');
    assert.equal((await post(sink, Buffer.from('garbage'))).status, 400);
    assert.equal(sink.samples, 0);
    await assert.rejects(sink.waitFor(1, 50), /timed out/);
  });

  it('knows a series by its labels whatever its position in the request, and flags only real reorders', async () => {
    sink = await startCountingSink();
    const series = (names: string[], ts: number) => names.map((name) => ({ name, samples: [[ts, 0]] as [number, number][] }));
    assert.equal((await post(sink, body(series(['a', 'b', 'c'], 1)))).status, 204);
    assert.equal((await post(sink, body(series(['c', 'a', 'd', 'b'], 2)))).status, 204);
    assert.equal((await post(sink, body([...series(['b', 'a'], 3), ...series(['c'], 1)]))).status, 204);
    await sink.waitFor(10);
    assert.equal(sink.series, 4);
    assert.equal(sink.outOfOrder, 1, 'only c went back (2 → 1)');
    sink.reset();
    assert.deepEqual([sink.samples, sink.series, sink.outOfOrder], [0, 0, 0]);
  });
});
