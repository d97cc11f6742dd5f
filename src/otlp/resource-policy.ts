import type { Attributes } from '../model/attributes';
import { labelValueOf } from './attribute-values';

/** Which resource attributes become metric labels (config `resource_to_labels`). */
export interface ResourceToLabels {
  /** `service.name` → `job`, prefixed `service.namespace/` when present (as Prometheus does). */
  readonly job: boolean;
  /** `service.instance.id` → `instance`. */
  readonly instance: boolean;
  /** Resource attribute names (`*` matches any run of characters) copied as labels. */
  readonly promote: readonly string[];
  /** Prefix put before promoted attribute names (`resource_` → `resource_k8s.pod.name`); empty by default. */
  readonly prefix: string;
  /** One `target_info` gauge per resource carrying the attributes not promoted to `job`/`instance`. */
  readonly target_info: boolean;
}

export const DEFAULT_RESOURCE_TO_LABELS: ResourceToLabels = { job: true, instance: true, promote: [], prefix: '', target_info: true };

/** Name and help text of the series that carries a resource's attributes (OTel Prometheus compatibility spec). */
export const TARGET_INFO = 'target_info';
export const TARGET_INFO_HELP = 'Target metadata';

function globToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

function present(attributes: Attributes, key: string): boolean {
  const v = attributes[key];
  return v !== undefined && v !== '';
}

/**
 * Computes, once per distinct resource, the flat label pairs it adds to every series under it.
 * Order matters to the caller: promoted attributes first (datapoint attributes override them),
 * then `job`/`instance`, which override everything (the Prometheus rule).
 */
export class ResourcePolicy {
  private readonly patterns: RegExp[];

  constructor(private readonly config: ResourceToLabels) {
    this.patterns = config.promote.map(globToRegExp);
  }

  /** Pairs that datapoint attributes may override. */
  promoted(attributes: Attributes): string[] {
    const out: string[] = [];
    if (this.patterns.length === 0) return out;
    for (const key of Object.keys(attributes)) {
      if (this.patterns.some((re) => re.test(key))) out.push(this.config.prefix + key, labelValueOf(attributes[key]!));
    }
    return out;
  }

  /** `job` and `instance` pairs, which win over datapoint attributes of the same name. */
  identity(attributes: Attributes): string[] {
    const out: string[] = [];
    const name = attributes['service.name'];
    if (this.config.job && name !== undefined && name !== '') {
      const ns = attributes['service.namespace'];
      const job = labelValueOf(name);
      out.push('job', ns !== undefined && ns !== '' ? `${labelValueOf(ns)}/${job}` : job);
    }
    const instance = attributes['service.instance.id'];
    if (this.config.instance && instance !== undefined && instance !== '') out.push('instance', labelValueOf(instance));
    return out;
  }

  /**
   * Labels of the resource's `target_info` series: `job`/`instance` plus every attribute that did
   * not go into them, names as they are. Undefined when it is turned off or when nothing is left
   * beyond `job`/`instance` (then it would say nothing; Prometheus skips it too).
   */
  targetInfo(attributes: Attributes, identity: readonly string[]): string[] | undefined {
    if (!this.config.target_info) return undefined;
    const job = this.config.job && present(attributes, 'service.name');
    const instance = this.config.instance && present(attributes, 'service.instance.id');
    const out: string[] = [];
    for (const key of Object.keys(attributes)) {
      if (job && (key === 'service.name' || key === 'service.namespace')) continue;
      if (instance && key === 'service.instance.id') continue;
      out.push(key, labelValueOf(attributes[key]!));
    }
    if (out.length === 0) return undefined;
    for (const v of identity) out.push(v);
    return out;
  }
}
