import { isStaleMarker, parseDuration } from '../../src/api';
import type { AlertNotification, Labels, TelemetryEvent } from '../../src/api';
import type { ValidateConfig } from './config';
import { VALID, reasonCode } from './reasons';

const R = {
  metricName: reasonCode('invalid_metric_name'),
  labelName: reasonCode('invalid_label_name'),
  tooManyLabels: reasonCode('too_many_labels'),
  labelNameLength: reasonCode('label_name_too_long'),
  labelValueLength: reasonCode('label_value_too_long'),
  nonFinite: reasonCode('non_finite_value'),
  timestamp: reasonCode('invalid_timestamp'),
  tooOld: reasonCode('too_old'),
  future: reasonCode('too_far_in_future'),
  epoch: reasonCode('missing_epoch'),
  requestId: reasonCode('missing_request_id'),
  topic: reasonCode('missing_topic'),
  topicPattern: reasonCode('invalid_topic'),
  alertName: reasonCode('missing_alert_name'),
};

/** The validation rules of one processor instance, compiled from its config. */
export class Rules {
  private readonly metricName: RegExp;
  private readonly labelName: RegExp;
  private readonly topic: RegExp | undefined;
  private readonly maxAgeMs: number;
  private readonly maxFutureMs: number;
  private readonly needEpoch: boolean;
  private readonly needRequestId: boolean;
  private readonly needTopic: boolean;

  constructor(private readonly config: ValidateConfig) {
    this.metricName = new RegExp(config.metric_name_pattern);
    this.labelName = new RegExp(config.label_name_pattern);
    this.topic = config.topic_pattern ? new RegExp(config.topic_pattern) : undefined;
    this.maxAgeMs = parseDuration(config.max_age);
    this.maxFutureMs = parseDuration(config.max_future);
    this.needEpoch = config.required_event_fields.includes('epoch');
    this.needRequestId = config.required_event_fields.includes('request_id');
    this.needTopic = config.required_event_fields.includes('topic');
  }

  /** Rules that depend only on the series (cached per series id by the caller). */
  series(name: string, labels: Labels): number {
    if (!this.metricName.test(name)) return R.metricName;
    return this.labels(labels);
  }

  /** Flat `[k, v, ...]` labels against the name, count and length rules. */
  labels(labels: Labels): number {
    const c = this.config;
    if (c.max_labels > 0 && labels.length / 2 > c.max_labels) return R.tooManyLabels;
    for (let i = 0; i < labels.length; i += 2) {
      const k = labels[i]!;
      if (c.max_label_name_length > 0 && k.length > c.max_label_name_length) return R.labelNameLength;
      if (!this.labelName.test(k)) return R.labelName;
      if (c.max_label_value_length > 0 && labels[i + 1]!.length > c.max_label_value_length) return R.labelValueLength;
    }
    return VALID;
  }

  /** A metric value: finite, or NaN only as the stale marker. Histogram sums are not checked. */
  value(v: number, complex: boolean): number {
    if (complex || (v - v === 0)) return VALID; // v - v is 0 exactly for finite numbers
    if (v !== v) return isStaleMarker(v) ? VALID : R.nonFinite;
    return this.config.allow_infinity ? VALID : R.nonFinite;
  }

  timestamp(ts: number, nowMs: number): number {
    if (!Number.isFinite(ts)) return R.timestamp;
    if (this.maxAgeMs > 0 && ts < nowMs - this.maxAgeMs) return R.tooOld;
    if (this.maxFutureMs > 0 && ts > nowMs + this.maxFutureMs) return R.future;
    return VALID;
  }

  event(e: TelemetryEvent, nowMs: number): number {
    if (this.needEpoch && !(Number.isFinite(e.epoch) && e.epoch >= 0)) return R.epoch;
    if (this.needRequestId && !e.requestId) return R.requestId;
    if (this.needTopic && !e.topic) return R.topic;
    // The pattern judges a topic that is there; whether one must be is `required_event_fields`.
    if (this.topic && e.topic && !this.topic.test(e.topic)) return R.topicPattern;
    // 0 means "unknown" in OTLP; the receiver stamps observed time, so only check real stamps.
    return e.timestampMs === 0 ? VALID : this.timestamp(e.timestampMs, nowMs);
  }

  alert(a: AlertNotification): number {
    if (!a.alertName) return R.alertName;
    const flat: string[] = [];
    for (const k of Object.keys(a.labels)) flat.push(k, a.labels[k]!);
    return this.labels(flat);
  }
}
