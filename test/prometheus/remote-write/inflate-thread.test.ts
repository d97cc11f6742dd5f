import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { isPermanent, systemClock } from '../../../src/api';
import { InflateThread, snappyUncompressedLength } from '../../../src/prometheus/remote-write';
import { RESTART_DELAY_MS } from '../../../src/prometheus/remote-write/inflate-thread';
import { FakeClock } from '../../../src/testing/fake-clock';

describe('remote write snappy bodies (inflate thread)', () => {
  const body = (n: number, tag: string) => Buffer.from(Array.from({ length: n }, (_, i) => `series_${i % 97}{job="${tag}"} ${i}\n`).join(''));
  const plain = body(5000, 'j');
  const block = compressSync(plain);
  let thread: InflateThread;

  beforeEach(() => (thread = new InflateThread(systemClock)));
  afterEach(() => thread.close());

  it('inflates to the original bytes, as long as the header declares, and leaves the caller its block', async () => {
    const before = Buffer.from(block);
    assert.deepEqual(await thread.inflate(block), plain);
    assert.equal(snappyUncompressedLength(block), plain.length);
    assert.deepEqual(block, before, 'the block the caller passed is intact (a copy went to the thread)');
  });

  it('refuses bytes that are not snappy with a permanent error (400), and goes on with the next block', async () => {
    const corrupt = Buffer.from(block);
    corrupt.fill(0xff, 8, 64);
    for (const bad of [Buffer.from('not snappy at all'), corrupt]) {
      await assert.rejects(thread.inflate(bad), (err: unknown) => isPermanent(err) && /invalid snappy data/.test(String(err)));
    }
    assert.deepEqual(await thread.inflate(block), plain);
  });

  it('gives every block in flight its own bytes, whatever their sizes and order (reused buffers included)', async () => {
    const plains = Array.from({ length: 40 }, (_, i) => body([10, 50_000, 3, 8000][i % 4]!, `t${i}`));
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(plains.map((p) => thread.inflate(compressSync(p))));
      got.forEach((g, i) => assert.ok(g.equals(plains[i]!), `block ${i} of round ${round}`));
    }
  });

  it('proves the thread on start, and fails the start when the thread cannot run', async () => {
    await thread.start();
    const broken = new InflateThread(systemClock, join(__dirname, 'no-such-entry-point.js'));
    await assert.rejects(broken.start(), /snappy inflate thread (failed|exited)/);
    await broken.close();
  });

  it('fails blocks still in flight when closed (503, retryable), and every later one', async () => {
    const shuttingDown = (err: unknown) => (err as { code?: string }).code === 'ERR_SHUTTING_DOWN' && !isPermanent(err);
    const inFlight = assert.rejects(thread.inflate(compressSync(body(200_000, 'big'))), shuttingDown);
    await thread.close();
    await inFlight;
    await assert.rejects(thread.inflate(block), shuttingDown);
  });

  it('when the thread dies: its blocks fail (500), blocks are refused (503) for a while, then a new thread starts', async () => {
    const clock = new FakeClock();
    const dying = new InflateThread(clock, join(__dirname, 'dying-inflate-thread.js'));
    try {
      const unexpected = (err: unknown) => /exited with code 3/.test(String(err)) && !isPermanent(err) && (err as { code?: string }).code === undefined;
      await assert.rejects(dying.inflate(block), unexpected);
      await assert.rejects(dying.inflate(block), (err: unknown) => {
        const e = err as { code?: string; retryAfterMs?: number };
        return e.code === 'ERR_CIRCUIT_OPEN' && e.retryAfterMs! > 0 && e.retryAfterMs! <= RESTART_DELAY_MS;
      });
      clock.advance(RESTART_DELAY_MS - 1);
      await assert.rejects(dying.inflate(block), (err: unknown) => (err as { code?: string }).code === 'ERR_CIRCUIT_OPEN');
      clock.advance(1);
      // A new thread ran the block (and died on it, as this entry point does).
      await assert.rejects(dying.inflate(block), unexpected);
    } finally {
      await dying.close();
    }
  });

  it('does not keep the process alive once nothing else does', () => {
    const module = join(__dirname, '..', '..', '..', 'src', 'prometheus', 'remote-write');
    // The interval stands for the receiver's server: the process runs until it is cleared, then exits.
    const script = `const { InflateThread } = require(${JSON.stringify(module)});
      const { systemClock } = require(${JSON.stringify(join(module, '..', '..', 'api'))});
      const keep = setInterval(() => {}, 1000);
      new InflateThread(systemClock).inflate(require(${JSON.stringify(require.resolve('snappy'))}).compressSync(Buffer.from('x'))).then((b) => { console.log(String(b)); clearInterval(keep); });`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ''} ${run.stderr}`);
    assert.equal(run.stdout.trim(), 'x');
  });
});
