import assert from 'node:assert/strict';
import { plugin as exporter } from '../../../exporters/prometheus';
import { validateConfig as validate } from '../../prometheus/validate-config';

describe('prometheus exporter: config', () => {
  it('exporter defaults: 127.0.0.1:9464, 5m expiration, OpenMetrics on', () => {
    const r = validate(exporter.configSchema, {});
    assert.equal(r.ok, true, r.errors);
    assert.deepEqual(r.config, {
      endpoint: '127.0.0.1:9464', namespace: '', const_labels: {}, metric_expiration: '5m',
      send_timestamps: false, add_metric_suffixes: true, enable_open_metrics: true,
    });
    assert.equal(validate(exporter.configSchema, { endpoint: 'nope' }).ok, false);
  });
});
