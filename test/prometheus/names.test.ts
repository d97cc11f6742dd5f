import assert from 'node:assert/strict';
import { escapeHelp, escapeLabelValue, formatValue, sanitizeLabelName, sanitizeMetricName, unitSuffix, withSuffix } from '../../src/prometheus/names';
import { wantsOpenMetrics } from '../../src/prometheus/negotiation';

describe('prometheus names and escaping', () => {
  it('sanitises metric and label names by the OpenTelemetry rules, leaving valid names alone', () => {
    const metric: [string, string][] = [
      ['http.server.duration', 'http_server_duration'], ['a::b', 'a::b'], ['1st-metric', '_1st_metric'],
      ['ok_name', 'ok_name'], ['a..b', 'a_b'], ['', '_'], ['métrique', 'm_trique'],
    ];
    for (const [i, o] of metric) assert.equal(sanitizeMetricName(i), o, i);
    const label: [string, string][] = [['host.name', 'host_name'], ['a:b', 'a_b'], ['0zone', '_0zone'], ['__x', '__x']];
    for (const [i, o] of label) assert.equal(sanitizeLabelName(i), o, i);
  });

  it('maps units to suffixes and never doubles them', () => {
    assert.equal(unitSuffix('s'), 'seconds');
    assert.equal(unitSuffix('By'), 'bytes');
    assert.equal(unitSuffix('By/s'), 'bytes_per_second');
    assert.equal(unitSuffix('m/s'), 'meters_per_second');
    assert.equal(unitSuffix('{requests}'), '');
    assert.equal(unitSuffix('1'), '');
    assert.equal(withSuffix('latency_seconds', 'seconds'), 'latency_seconds');
    assert.equal(withSuffix('latency', 'seconds'), 'latency_seconds');
  });

  it('escapes label values and HELP text per format, spells special floats', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('a\\b"c\nd', false), 'a\\\\b"c\\nd');
    assert.equal(escapeHelp('a\\b"c\nd', true), 'a\\\\b\\"c\\nd');
    assert.deepEqual([NaN, Infinity, -Infinity, 1.5, 1e21].map(formatValue), ['NaN', '+Inf', '-Inf', '1.5', '1e+21']);
  });

  it('negotiates OpenMetrics from Accept by q-value', () => {
    assert.equal(wantsOpenMetrics(undefined), false);
    assert.equal(wantsOpenMetrics('text/plain;version=0.0.4'), false);
    assert.equal(wantsOpenMetrics('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'), true);
    assert.equal(wantsOpenMetrics('application/openmetrics-text;q=0.2,text/plain;q=0.9'), false);
    assert.equal(wantsOpenMetrics('application/openmetrics-text;q=0'), false);
  });
});
