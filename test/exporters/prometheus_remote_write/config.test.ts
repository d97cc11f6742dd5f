import assert from 'node:assert/strict';
import { parseDuration } from '../../../src/api';
import { pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus_remote_write';
import type { RemoteWriteExporterConfig } from '../../../exporters/prometheus_remote_write/config';

describe('prometheus_remote_write exporter: config', () => {
  // The documented defaults (README): filled in by validation as the config loader does, so a
  // config giving only the endpoint gets them.
  it('defaults: 10000 samples per request, 4 shards, 5s request timeout', () => {
    const c = pluginConfig<RemoteWriteExporterConfig>(plugin, { endpoint: 'http://prometheus:9090/api/v1/write' });
    assert.equal(c.max_samples_per_send, 10_000);
    assert.equal(c.num_shards, 4);
    assert.equal(c.request_timeout, '5s');
    assert.equal(parseDuration(c.request_timeout), 5_000);
  });

  it('keeps values that are given instead of the defaults', () => {
    const c = pluginConfig<RemoteWriteExporterConfig>(plugin, {
      endpoint: 'http://prometheus:9090/api/v1/write', max_samples_per_send: 500, num_shards: 1, request_timeout: '30s',
    });
    assert.equal(c.max_samples_per_send, 500);
    assert.equal(c.num_shards, 1);
    assert.equal(parseDuration(c.request_timeout), 30_000);
  });
});
