import type { Attributes } from '../model/attributes';
import { labelValueOf } from './attribute-values';

/** An `InstrumentationScope` as decoded from either encoding. */
export interface ScopeIdentity {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
}

export const EMPTY_SCOPE: ScopeIdentity = { name: '', version: '', attributes: {} };

/** Label name prefix of scope attributes; `otel_scope_name` / `otel_scope_version` carry name and version. */
export const SCOPE_LABEL_PREFIX = 'otel_scope_';
export const SCOPE_NAME_LABEL = 'otel_scope_name';
export const SCOPE_VERSION_LABEL = 'otel_scope_version';

/**
 * The labels a scope adds to each of its series, as the OTel Collector's Prometheus exporter and
 * Prometheus's OTLP receiver write them: `otel_scope_name`, `otel_scope_version` when non-empty,
 * and each scope attribute as `otel_scope_<key>`. Name and version come last so they win over an
 * attribute called `name` or `version`.
 */
export function scopeLabels(scope: ScopeIdentity): string[] {
  const out: string[] = [];
  for (const key of Object.keys(scope.attributes)) out.push(SCOPE_LABEL_PREFIX + key, labelValueOf(scope.attributes[key]!));
  if (scope.name !== '') out.push(SCOPE_NAME_LABEL, scope.name);
  if (scope.version !== '') out.push(SCOPE_VERSION_LABEL, scope.version);
  return out;
}
