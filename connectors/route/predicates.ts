import { getLabel } from '../../src/api';
import type { AlertNotification, AttributeValue, Labels, Signal, TelemetryEvent } from '../../src/api';
import { compileGlob } from '../../src/processing/glob';
import { compileRecordMatcher, compileValueMatcher } from '../../src/processing/value-matcher';
import type { RouteMatch } from './config';

export type EventPredicate = (e: TelemetryEvent) => boolean;
export type SeriesPredicate = (name: string, labels: Labels) => boolean;
export type AlertPredicate = (a: AlertNotification) => boolean;

const KEYS_BY_SIGNAL: Record<string, readonly (keyof RouteMatch)[]> = {
  events: ['topic', 'event_type', 'attributes'],
  metrics: ['metric_name', 'labels'],
  alerts: ['alert_name', 'labels'],
};

/** Whether every condition of the match is one that applies to the signal. */
export function appliesTo(match: RouteMatch, signal: Signal): boolean {
  const allowed = KEYS_BY_SIGNAL[signal] ?? [];
  return (Object.keys(match) as (keyof RouteMatch)[]).every((k) => allowed.includes(k));
}

function attributeText(v: AttributeValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function eventPredicate(m: RouteMatch): EventPredicate {
  const topic = m.topic !== undefined ? compileGlob(m.topic) : undefined;
  const type = m.event_type !== undefined ? compileValueMatcher(m.event_type) : undefined;
  const attrs = m.attributes ? compileRecordMatcher(m.attributes) : undefined;
  return (e) =>
    (topic === undefined || topic(e.topic)) &&
    (type === undefined || type(e.eventType)) &&
    (attrs === undefined || attrs((k) => attributeText(e.attributes[k])));
}

export function seriesPredicate(m: RouteMatch): SeriesPredicate {
  const name = m.metric_name !== undefined ? compileGlob(m.metric_name) : undefined;
  const labels = m.labels ? compileRecordMatcher(m.labels) : undefined;
  return (n, l) => (name === undefined || name(n)) && (labels === undefined || labels((k) => getLabel(l, k)));
}

export function alertPredicate(m: RouteMatch): AlertPredicate {
  const name = m.alert_name !== undefined ? compileGlob(m.alert_name) : undefined;
  const labels = m.labels ? compileRecordMatcher(m.labels) : undefined;
  return (a) => (name === undefined || name(a.alertName)) && (labels === undefined || labels((k) => a.labels[k]));
}
