import assert from 'node:assert/strict';
import { SeriesTable } from '../../src/api';
import { batchSize } from '../../src/model/batch';
import { OtlpDecoders } from '../../src/otlp/decoders';
import type { OtlpLogRecords } from '../../src/otlp/proto/logs-check';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../src/otlp/resource-policy';
import { kv, MAX_FUTURE, NOW, NS, request, str } from './proto/log-arbitraries';

const OPTIONS = { maxFutureMs: MAX_FUTURE, resourceToLabels: DEFAULT_RESOURCE_TO_LABELS, seriesCacheSize: 1000 };

function heldBody(body: Buffer): { held: Buffer; items: unknown[]; rejected: number } {
  const { batch, rejected } = new OtlpDecoders(new SeriesTable(), OPTIONS).logs(body, false, NOW);
  assert.equal(batch.records?.length, 1);
  return { held: (batch.records[0] as OtlpLogRecords).body, items: [...batch.items].map((e) => e.body), rejected: rejected.total };
}

describe('OTLP logs receiver: memory held by records batches', () => {
  it('copies the kept records out of a large body that refused records fill (they are not held)', () => {
    const future = `${BigInt(NOW + 2 * MAX_FUTURE) * 1_000_000n}`;
    const records = [{ time_unix_nano: NS, body: str('kept'), attributes: [kv('k', str('v'))] }, ...Array.from({ length: 200 }, () => ({ time_unix_nano: future, body: str('x'.repeat(1000)) }))];
    const body = request(records);
    const { held, items, rejected } = heldBody(body);
    assert.equal(rejected, 200);
    assert.deepEqual(items, ['kept']);
    assert.ok(held.length < 200, `held ${held.length} bytes of a ${body.length}-byte request`);
  });

  it('keeps the body itself when most of it is kept records', () => {
    const body = request(Array.from({ length: 100 }, (_, i) => ({ time_unix_nano: NS, body: str(`line ${i}`) })));
    const own = Buffer.allocUnsafeSlow(body.length); // a buffer of its own size (Buffer.from may pool it)
    body.copy(own);
    assert.equal(heldBody(own).held, own);
  });

  it('copies a small body out of the larger buffer it is a view of (zlib output, pooled slabs)', () => {
    const body = request([{ time_unix_nano: NS, body: str('one') }]);
    const big = Buffer.alloc(16 * 1024);
    body.copy(big, 100);
    const view = big.subarray(100, 100 + body.length);
    const { held, items } = heldBody(view);
    assert.deepEqual(items, ['one']);
    assert.equal(held.buffer.byteLength, body.length);
    assert.deepEqual(held, body);
  });

  it('counts the same records however they are held', () => {
    const body = request(Array.from({ length: 3 }, () => ({ time_unix_nano: NS, body: str('x') })));
    const { batch } = new OtlpDecoders(new SeriesTable(), OPTIONS).logs(body, false, NOW);
    assert.equal(batchSize(batch), 3);
  });
});
