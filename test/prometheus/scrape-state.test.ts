import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getLabel, isStaleMarker, labelsFromRecord, labelsToRecord, MetricKind, SeriesTable, type MetricBatch } from '../../src/api';
import { ScrapeState } from '../../src/prometheus/scrape-state';
import { FIXTURES } from './fixture-path';

const T = 1_700_000_000_000;

function rows(series: SeriesTable, batch: MetricBatch) {
  return Array.from({ length: batch.length }, (_, i) => {
    const info = series.info(batch.series[i]!);
    return { name: info.name, kind: info.kind, labels: labelsToRecord(info.labels), value: batch.values[i]!, ts: batch.timestamps[i]!, complex: batch.complex?.[i], help: info.description };
  });
}

function state(honorLabels = false, extra: Record<string, string> = {}) {
  const series = new SeriesTable();
  const s = new ScrapeState(series, { labels: labelsFromRecord({ job: 'app', instance: 'h:1', ...extra }), honorLabels });
  return { series, s };
}

describe('prometheus scrape state', () => {
  it('turns a 0.0.4 exposition into series with target labels, reassembled histogram and summary', () => {
    const { series, s } = state();
    const r = rows(series, s.scraped(readFileSync(`${FIXTURES}/text-0.0.4.txt`, 'utf8'), false, T, 0.25));
    const req = r.find((x) => x.name === 'http_requests_total' && x.labels['code'] === '200')!;
    assert.equal(req.kind, MetricKind.COUNTER);
    assert.deepEqual(req.labels, { code: '200', instance: 'h:1', job: 'app', method: 'post' });
    assert.equal(req.ts, 1395066363000);
    assert.equal(req.help, 'The total number of HTTP requests.');
    assert.equal(r.find((x) => x.name === 'metric_without_timestamp_and_labels')!.ts, T);
    const h = r.find((x) => x.name === 'http_request_duration_seconds')!;
    assert.equal(h.kind, MetricKind.HISTOGRAM);
    assert.equal(h.value, 53423);
    assert.deepEqual(h.complex && { ...h.complex, bounds: [...(h.complex as any).bounds], counts: [...(h.complex as any).counts] }, {
      type: 'histogram', bounds: [0.05, 0.1, 0.2, 0.5, 1], counts: [24054, 9390, 66948, 28997, 4599, 10332], count: 144320, sum: 53423,
    });
    const sm = r.find((x) => x.name === 'rpc_duration_seconds')!;
    assert.equal(sm.kind, MetricKind.SUMMARY);
    assert.deepEqual([...(sm.complex as any).quantiles], [0.01, 0.05, 0.5, 0.9, 0.99]);
    assert.deepEqual([...(sm.complex as any).values], [3102, 3272, 4773, 9001, 76656]);
    assert.equal((sm.complex as any).count, 2693);
    assert.equal(r.some((x) => x.name.endsWith('_bucket') || x.name.endsWith('_count')), false);
    const report = Object.fromEntries(r.filter((x) => !x.complex && Object.keys(x.labels).length === 2).map((x) => [x.name, x.value]));
    assert.deepEqual(report, { metric_without_timestamp_and_labels: 12.47, up: 1, scrape_duration_seconds: 0.25, scrape_samples_scraped: 20 });
  });

  it('maps OpenMetrics counters to <name>_total, drops _created, keeps info as a gauge', () => {
    const { series, s } = state();
    const r = rows(series, s.scraped(readFileSync(`${FIXTURES}/openmetrics.txt`, 'utf8'), true, T, 0));
    const cpu = r.find((x) => x.name === 'process_cpu_seconds_total')!;
    assert.equal(cpu.kind, MetricKind.COUNTER);
    assert.equal(r.some((x) => x.name.endsWith('_created')), false);
    const foo = r.find((x) => x.name === 'foo')!;
    assert.deepEqual([...(foo.complex as any).counts], [0, 0, 8, 2, 7]);
    const sm = r.find((x) => x.name === 'acme_http_router_request_seconds')!;
    assert.equal((sm.complex as any).count, 807283);
    assert.equal(r.find((x) => x.name === 'build_info')!.kind, MetricKind.GAUGE);
  });

  it('honor_labels=false renames clashing scraped labels to exported_*, true keeps them', () => {
    const text = 'm{job="inner",instance="x",zone="a"} 1\n';
    const off = state(false, { zone: 'static' });
    assert.deepEqual(rows(off.series, off.s.scraped(text, false, T, 0))[0]!.labels, {
      exported_instance: 'x', exported_job: 'inner', exported_zone: 'a', instance: 'h:1', job: 'app', zone: 'static',
    });
    const on = state(true, { zone: 'static' });
    assert.deepEqual(rows(on.series, on.s.scraped(text, false, T, 0))[0]!.labels, { instance: 'x', job: 'inner', zone: 'a' });
  });

  it('marks vanished series stale, and everything stale with up=0 when the target fails', () => {
    const { series, s } = state();
    s.scraped('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\na 1\nb 2\n', false, T, 0);
    const second = rows(series, s.scraped('a 5\n', false, T + 1000, 0));
    const stale = second.filter((x) => isStaleMarker(x.value)).map((x) => x.name).sort();
    assert.deepEqual(stale, ['b', 'h']);
    assert.equal(second.find((x) => x.name === 'a')!.value, 5);
    // Already stale: not marked again.
    assert.equal(rows(series, s.scraped('a 6\n', false, T + 2000, 0)).filter((x) => isStaleMarker(x.value)).length, 0);
    const down = rows(series, s.failed(T + 3000, 0.01));
    assert.deepEqual(down.filter((x) => isStaleMarker(x.value)).map((x) => x.name), ['a']);
    assert.equal(down.find((x) => x.name === 'up')!.value, 0);
    assert.equal(rows(series, s.failed(T + 4000, 0)).filter((x) => isStaleMarker(x.value)).length, 0);
    const back = rows(series, s.scraped('a 7\n', false, T + 5000, 0));
    assert.equal(back.find((x) => x.name === 'up')!.value, 1);
    assert.equal(getLabel(series.info(series.lookup('up', labelsFromRecord({ instance: 'h:1', job: 'app' }))!).labels, 'job'), 'app');
  });

  it('re-interns series the table evicted between scrapes', () => {
    const { series, s } = state();
    s.scraped('a{x="1"} 1\n', false, T, 0);
    series.sweep(Number.MAX_SAFE_INTEGER);
    const r = rows(series, s.scraped('a{x="1"} 2\n', false, T + 1000, 0));
    assert.deepEqual(r.find((x) => x.name === 'a')!.labels, { instance: 'h:1', job: 'app', x: '1' });
  });

  it('a parse error fails the scrape', () => {
    const { s } = state();
    assert.throws(() => s.scraped('a{x="1" 1\n', false, T, 0), /unterminated/);
  });

  it('a scrape that fails half-way marks stale everything the last good scrape had, the lines it parsed too', () => {
    const { series, s } = state();
    s.scraped('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\na 1\nb 2\n', false, T, 0);
    assert.throws(() => s.scraped('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\na 1\nb 2\nbroken{ 3\n', false, T + 1000, 0));
    const down = rows(series, s.failed(T + 1000, 0));
    assert.deepEqual(down.filter((x) => isStaleMarker(x.value)).map((x) => x.name).sort(), ['a', 'b', 'h']);
  });

  it('does not mark a series stale when the target writes it as other text (label order, spacing)', () => {
    const { series, s } = state();
    s.scraped('m{a="1",b="2"} 5\n', false, T, 0);
    const next = rows(series, s.scraped('m{b="2", a="1"} 6\n', false, T + 1000, 0));
    const m = next.filter((x) => x.name === 'm');
    assert.deepEqual(m.map((x) => x.value), [6], 'one sample, no stale marker beside it');
    const gone = rows(series, s.scraped('other 1\n', false, T + 2000, 0));
    assert.deepEqual(gone.filter((x) => isStaleMarker(x.value)).map((x) => x.name), ['m'], 'and stale once it is really gone');
  });
});
