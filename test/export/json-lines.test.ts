import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable } from '../../src/api';
import { JsonLinesFormatter, jsonNumber, redactSecrets } from '../../src/export';
import { sampleBatches } from './sample-batches';

describe('JSON lines formatting', () => {
  it('formats every signal and metric type as the documented lines', () => {
    const table = new SeriesTable();
    const { batches, lines } = sampleBatches(table);
    const formatter = new JsonLinesFormatter(table);
    const text = batches.map((b) => formatter.format(b)).join('');
    assert.deepEqual(text.split('\n'), [...lines, '']);
    for (const line of lines) assert.equal(typeof JSON.parse(line).signal, 'string');
  });

  it('spells non-finite numbers as strings and keeps the shortest round-trip form', () => {
    assert.equal(jsonNumber(NaN), '"NaN"');
    assert.equal(jsonNumber(Infinity), '"+Inf"');
    assert.equal(jsonNumber(-Infinity), '"-Inf"');
    assert.equal(jsonNumber(0.1 + 0.2), '0.30000000000000004');
    assert.equal(JSON.parse(jsonNumber(1e21)), 1e21);
    assert.equal(jsonNumber(1764201234567), '1764201234567');
    assert.equal(jsonNumber(1000000000001), '1000000000001');
  });

  it('writes every finite number exactly as JSON.stringify does (fast paths included)', () => {
    const timestamps = fc.integer({ min: 0, max: 4e12 }).map((n) => n * 500);
    fc.assert(fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), timestamps), (n) => {
      assert.equal(jsonNumber(n), JSON.stringify(n));
    }), { numRuns: 5000 });
  });

  it('re-formats a series whose id was swept and reused', () => {
    const table = new SeriesTable();
    const formatter = new JsonLinesFormatter(table);
    const first = table.intern('old_metric', labelsFromRecord({ a: '1' }), MetricKind.GAUGE);
    const b1 = new MetricBatchBuilder(1);
    b1.push(first, 1, 1);
    assert.match(formatter.format(b1.build()), /"old_metric"/);
    table.sweep(Number.MAX_SAFE_INTEGER);
    const second = table.intern('new_metric', labelsFromRecord({}), MetricKind.COUNTER);
    assert.equal(second, first, 'the id is reused');
    const b2 = new MetricBatchBuilder(1);
    b2.push(second, 2, 2);
    assert.equal(formatter.format(b2.build()), '{"signal":"metrics","name":"new_metric","labels":{},"type":"counter","value":2,"timestamp_ms":2}\n');
  });

  it('redacts credential-like keys when asked, and only those', () => {
    const table = new SeriesTable();
    const id = table.intern('m', labelsFromRecord({ api_key: 'k1', author: 'ann' }), MetricKind.GAUGE);
    const b = new MetricBatchBuilder(1);
    b.push(id, 1, 1);
    const line = new JsonLinesFormatter(table, redactSecrets).format(b.build());
    assert.equal(JSON.parse(line).labels.api_key, '[REDACTED]');
    assert.equal(JSON.parse(line).labels.author, 'ann');
    for (const key of ['password', 'Authorization', 'x-auth-token', 'client_secret', 'cookie']) assert.ok(redactSecrets(key), key);
    for (const key of ['author', 'bypass', 'host', 'passenger']) assert.ok(!redactSecrets(key), key);
  });
});
