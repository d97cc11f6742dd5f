import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable } from '../../../src/api';
import { decodeCheckpoint, encodeBody, encodeHeader } from '../../../processors/downsample/checkpoint-format';
import type { Snapshot } from '../../../processors/downsample/checkpoint-snapshot';
import { crc32, crc32Table } from '../../../src/wire/crc32';
import { snapshot } from '../../../processors/downsample/checkpoint-snapshot';
import { FakeClock } from '../../../src/testing';
import type { RawPoint } from './helpers';
import { decode, dsConfig, makeProcessor } from './helpers';

const T0 = Date.UTC(2026, 0, 1);

/** Two gauges and a counter over 3 hours, every 10s. */
function workload(series: SeriesTable): RawPoint[] {
  const g1 = series.intern('cpu', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE);
  const g2 = series.intern('cpu', labelsFromRecord({ host: 'b' }), MetricKind.GAUGE);
  const c = series.intern('reqs', [], MetricKind.COUNTER);
  const out: RawPoint[] = [];
  for (let i = 0; i < 1080; i++) {
    const ts = T0 + i * 10_000;
    out.push({ sid: g1, ts, v: Math.sin(i / 50) * 10 + (i % 17) }, { sid: g2, ts, v: (i * 7) % 31 }, { sid: c, ts, v: i < 500 ? i * 3 : (i - 500) * 2 });
  }
  return out;
}

async function feed(proc: { consume(b: never): Promise<void> }, points: RawPoint[]): Promise<void> {
  for (let i = 0; i < points.length; i += 100) {
    const b = new MetricBatchBuilder();
    for (const p of points.slice(i, i + 100)) b.push(p.sid, p.ts, p.v);
    await proc.consume(b.build() as never);
  }
}

describe('downsample checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-downsample-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('restores open windows in a new instance (new series table) with the same results', async () => {
    const clock = new FakeClock(T0);
    // Reference: one uninterrupted run.
    const ref = makeProcessor(dsConfig({ flush_on_shutdown: true }), clock);
    const refPoints = workload(ref.series);
    await ref.proc.start();
    await feed(ref.proc, refPoints);
    await ref.proc.shutdown();
    const expected = decode(ref.sink, ref.series);

    // Same data, with a restart in the middle of the second hour.
    const cfg = dsConfig({ checkpoint: { directory: dir, interval: '1m' } });
    const a = makeProcessor(cfg, clock);
    const first = workload(a.series);
    await a.proc.start();
    await feed(a.proc, first.slice(0, 1500));
    await a.proc.shutdown();
    assert.equal(readdirSync(dir).length, 1, 'one checkpoint file, no temp file left');

    const series = new SeriesTable();
    series.intern('unrelated', [], MetricKind.GAUGE); // shifts ids: restore must go by name + labels
    const b = makeProcessor(dsConfig({ checkpoint: { directory: dir, interval: '1m' }, flush_on_shutdown: true }), clock, series);
    const second = workload(b.series);
    await b.proc.start();
    assert.ok(b.ctx.logger.lines.some((l) => l.msg === 'downsample checkpoint restored'));
    await feed(b.proc, second.slice(1500));
    await b.proc.shutdown();

    const got = decode(a.sink, a.series);
    for (const [k, v] of decode(b.sink, b.series)) got.set(k, v);
    assert.equal(got.size, expected.size);
    for (const [k, v] of expected) {
      const actual = got.get(k);
      assert.ok(actual !== undefined && Math.abs(actual - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${k}: ${actual} vs ${v}`);
    }
  });

  it('writes checkpoints periodically on the clock, in the binary format', async () => {
    const clock = new FakeClock(T0);
    const { proc, series } = makeProcessor(dsConfig({ checkpoint: { directory: dir, interval: '1m' } }), clock);
    await proc.start();
    await feed(proc, workload(series).slice(0, 30));
    await clock.tick(61_000, 61_000);
    await proc.checkpoint(); // waits for the one the timer started
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    const file = readFileSync(join(dir, files[0]!));
    assert.equal(file.toString('latin1', 0, 8), 'NISSA-DS');
    assert.equal(file.readUInt32LE(8), 2, 'version');
    assert.equal(file.readDoubleLE(16), file.length - 64, 'body length');
    const snap = decodeCheckpoint(file);
    assert.equal(snap.stateSeries.length, proc.engine.openStates);
    await proc.shutdown();
  });

  it('computes the same CRC-32 with and without zlib, also in pieces', () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    assert.equal(crc32Table(Buffer.from('123456789')), 0xcbf43926); // the standard check value
    assert.equal(crc32(data), crc32Table(data));
    assert.equal(crc32(data.subarray(1234), crc32(data.subarray(0, 1234))), crc32(data));
  });

  it('round-trips every column of a snapshot through the binary format', async () => {
    const clock = new FakeClock(T0);
    const { proc, series } = makeProcessor(dsConfig(), clock);
    series.intern('unicode', labelsFromRecord({ 'é': 'ü😀', a: '' }), MetricKind.GAUGE);
    await proc.start();
    const points = workload(series);
    const u = series.lookup('unicode', labelsFromRecord({ 'é': 'ü😀', a: '' }))!;
    points.push({ sid: u, ts: T0 + 5, v: -3.5 });
    await feed(proc, points.slice(0, 2000));
    const snap = snapshot(proc.engine);
    assert.ok(snap.binKeys.length > 0 && snap.counterSeries.length === 1 && snap.tierName.length === 4);
    const decoded = decodeCheckpoint(fileOf(snap));
    assert.deepEqual(decoded, snap);
    await proc.shutdown();
  });

  it('keeps its string table readable when lone surrogates stand side by side', async () => {
    const clock = new FakeClock(T0);
    const { proc, series } = makeProcessor(dsConfig(), clock);
    await proc.start();
    await feed(proc, workload(series).slice(0, 300));
    const snap = snapshot(proc.engine);
    // Joined, 'a\ud800' + '\udc00b' would encode as one 4-byte character, not 3 + 3 bytes.
    const odd = { ...snap, strings: [...snap.strings, 'a\ud800', '\udc00b'] };
    const decoded = decodeCheckpoint(fileOf(odd));
    assert.deepEqual(decoded.strings.slice(0, snap.strings.length), snap.strings);
    assert.deepEqual(decoded.strings.slice(snap.strings.length), ['a\ufffd', '\ufffdb'], 'each lone surrogate becomes U+FFFD on its own');
    await proc.shutdown();
  });

  it('refuses a well-checksummed checkpoint whose columns do not fit together', async () => {
    const clock = new FakeClock(T0);
    const { proc, series } = makeProcessor(dsConfig(), clock);
    const two = series.intern('two', labelsFromRecord({ a: '1', b: '2' }), MetricKind.GAUGE);
    await proc.start();
    await feed(proc, [{ sid: two, ts: T0, v: 1 }, ...workload(series).slice(0, 300)]);
    const snap = snapshot(proc.engine);
    const badRef = { ...snap, stateSeries: snap.stateSeries.map(() => 999) };
    assert.throws(() => decodeCheckpoint(fileOf(badRef)), /inconsistent: state 0/);
    const badCount = { ...snap, binCount: snap.binCount.map((n) => n + 1) };
    assert.throws(() => decodeCheckpoint(fileOf(badCount)), /inconsistent: sketch columns/);
    const labelRefs = snap.labelRefs.slice();
    const at = snap.labelStart[snap.seriesName.findIndex((n) => snap.strings[n] === 'two')]!;
    [labelRefs[at], labelRefs[at + 2]] = [labelRefs[at + 2]!, labelRefs[at]!];
    const unsorted = { ...snap, labelRefs };
    assert.throws(() => decodeCheckpoint(fileOf(unsorted)), /not sorted/);
    await proc.shutdown();
  });

  it('logs and ignores a corrupt checkpoint instead of crashing', async () => {
    const clock = new FakeClock(T0);
    const cfg = dsConfig({ checkpoint: { directory: dir, interval: '1m' } });
    const a = makeProcessor(cfg, clock);
    await a.proc.start();
    await feed(a.proc, workload(a.series).slice(0, 30));
    await a.proc.shutdown();
    const file = join(dir, readdirSync(dir)[0]!);
    const good = readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0x40;
    const cases: [Buffer, RegExp][] = [
      [flipped, /checksum mismatch/],
      [good.subarray(0, good.length - 9), /truncated/],
      [good.subarray(0, 40), /not a downsample checkpoint/],
      [Buffer.from('garbage'), /not a downsample checkpoint/],
      [Buffer.from('{"format":"nissa-downsample-checkpoint","version":1,"sha256":"00"}\n{}'), /checksum mismatch/],
    ];
    for (const [bytes, error] of cases) {
      writeFileSync(file, bytes);
      const b = makeProcessor(cfg, clock);
      await b.proc.start();
      assert.ok(b.ctx.logger.lines.some((l) => l.level === 'warn' && error.test(String(l.fields?.error))), `${error}: ${JSON.stringify(b.ctx.logger.lines)}`);
      assert.equal(b.proc.engine.openStates, 0);
      await b.proc.shutdown();
    }
  });

  it('restores a version 1 (JSON) checkpoint written before the binary format', async () => {
    const clock = new FakeClock(T0);
    // One 1m window of cpu{host="a"} with the points 1, 2, 3 and a counter baseline, as version 1 wrote them.
    const body = JSON.stringify({
      horizon: T0 - 5000,
      relative_accuracy: 0.01,
      series: [['cpu', ['host', 'a'], MetricKind.GAUGE], ['reqs', [], MetricKind.COUNTER]],
      tiers: [{ name: '1m', interval_ms: 60_000, windows: [{ start: T0, states: [[0, 0, [3, 6, 2, 2, 1, 3, 3, T0 + 20_000], [], []]] }] }],
      counters: [[1, 42, T0 + 20_000, 0]],
    });
    const header = JSON.stringify({ format: 'nissa-downsample-checkpoint', version: 1, sha256: createHash('sha256').update(body).digest('hex'), bytes: Buffer.byteLength(body) });
    const cfg = dsConfig({ checkpoint: { directory: dir, interval: '1m' }, flush_on_shutdown: true });
    const a = makeProcessor(cfg, clock); // an empty run, to learn the checkpoint's file name
    await a.proc.start();
    await a.proc.shutdown();
    writeFileSync(join(dir, readdirSync(dir)[0]!), `${header}\n${body}`);
    const b = makeProcessor(cfg, clock);
    await b.proc.start();
    const restoredLine = b.ctx.logger.lines.find((l) => l.msg === 'downsample checkpoint restored');
    assert.ok(restoredLine, JSON.stringify(b.ctx.logger.lines));
    assert.equal(b.proc.engine.openStates, 1);
    const reqs = b.series.lookup('reqs', [])!;
    assert.deepEqual(b.proc.engine.counters.entries(), [[reqs, 42, T0 + 20_000, 0]], 'counter baseline restored');
    await b.proc.shutdown();
    const out = decode(b.sink, b.series);
    assert.equal(out.get(`cpu{host,a}|1m|mean|${T0 + 60_000}`), 2);
    assert.equal(out.get(`cpu{host,a}|1m|max|${T0 + 60_000}`), 3);
  });
});

/** A whole checkpoint file for a snapshot, as writeCheckpoint lays it out. */
function fileOf(snap: Snapshot): Buffer {
  const body = Buffer.concat(encodeBody(snap));
  return Buffer.concat([encodeHeader(body.length, crc32(body)), body]);
}
