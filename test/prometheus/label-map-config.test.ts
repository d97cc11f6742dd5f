import assert from 'node:assert/strict';
import { formatDiagnostics, loadConfigText } from '../../src/config';
import { addedLabels } from '../../src/prometheus/exposed-labels';
import { builtinRegistry } from '../../src/plugins/builtins';

/** const_labels and external_labels: reserved names and empty values are refused; other names are sanitised. */
const YAML = `receivers:
  generator: {}
exporters:
  prometheus:
    const_labels:
      deployment.environment: prod
      __meta_zone: x
  prometheus_remote_write:
    endpoint: http://127.0.0.1:9/api/v1/write
    external_labels:
      __name__: y
      cluster: ""
      region: eu
      le: "1"
      _.x: becomes __x
service:
  pipelines:
    metrics:
      receivers: [generator]
      exporters: [prometheus, prometheus_remote_write]
`;

describe('prometheus exporters: const and external labels', () => {
  it('refuses reserved names and empty values, each at its own line', () => {
    const result = loadConfigText(YAML, 'pipelines.yaml', { registry: builtinRegistry(), env: {} });
    const rule = 'must be a non-empty label name that Prometheus does not reserve (not le or quantile, not starting with __ once sanitised)';
    assert.deepEqual(formatDiagnostics(result), [
      `pipelines.yaml:7:7: exporters.prometheus.const_labels.__meta_zone: key "__meta_zone" ${rule}`,
      `pipelines.yaml:11:7: exporters.prometheus_remote_write.external_labels.__name__: key "__name__" ${rule}`,
      'pipelines.yaml:12:7: exporters.prometheus_remote_write.external_labels.cluster: must not be empty',
      `pipelines.yaml:14:7: exporters.prometheus_remote_write.external_labels.le: key "le" ${rule}`,
      `pipelines.yaml:15:7: exporters.prometheus_remote_write.external_labels._.x: key "_.x" ${rule}`,
    ]);
    assert.equal(result.config, undefined);
  });

  it('accepts the rest', () => {
    const ok = YAML.replace('__meta_zone', 'meta_zone').replace('__name__', 'source').replace('""', 'c1').replace('le: "1"', 'tier: "1"').replace('_.x', '.x');
    assert.deepEqual(formatDiagnostics(loadConfigText(ok, 'pipelines.yaml', { registry: builtinRegistry(), env: {} })), []);
  });

  it('sanitises names as series labels are, joining names that sanitise alike', () => {
    assert.deepEqual(addedLabels({ 'deployment.environment': 'prod', 'a.b': '1', a_b: '2' }), ['a_b', '1;2', 'deployment_environment', 'prod']);
  });
});
