import type { Labels } from './labels';
import { getLabel } from './labels';
import type { MetricKind } from './metric-kind';

/**
 * How a derived series differs from its parent series: the parent's name with a suffix, the
 * parent's labels plus some labels, and its own kind. A stage that emits many series per input
 * series (downsampling: one per tier and aggregation) registers each variant once and derives
 * series from parents (see `SeriesTable.derive`), so the table keeps no name, labels or key
 * string per derived series.
 */
export interface SeriesVariant {
  /** Appended to the parent's name; '' keeps the name. */
  readonly nameSuffix: string;
  /** Labels added to the parent's, normalized (sorted by key, no duplicates). */
  readonly labels: Labels;
  readonly kind: MetricKind;
}

/** A (name, labels) read back as a variant applied to a parent. */
interface VariantMatch {
  readonly variant: number;
  readonly parentName: string;
  readonly parentLabels: Labels;
}

interface Shape {
  readonly suffixLength: number;
  readonly keys: readonly string[];
}

/**
 * The variants of one series table, numbered in registration order. Identity is the name suffix
 * and labels (what the series key is made of); two stages registering the same variant share its
 * number, so they share the derived series too.
 */
export class VariantRegistry {
  private readonly list: SeriesVariant[] = [];
  private readonly bySignature = new Map<string, number>();
  /** Distinct (suffix length, label keys) of the variants: what reverse matching tries. */
  private readonly shapes: Shape[] = [];
  private readonly shapeIds = new Set<string>();

  get size(): number {
    return this.list.length;
  }

  get(variant: number): SeriesVariant {
    return this.list[variant]!;
  }

  /** The number of the variant, registering it when new (`isNew`). */
  register(v: SeriesVariant): { variant: number; isNew: boolean } {
    const sig = signature(v.nameSuffix, v.labels);
    const found = this.bySignature.get(sig);
    if (found !== undefined) return { variant: found, isNew: false };
    if (this.list.length >= 0xffff) throw new RangeError('too many series variants');
    const variant = this.list.length;
    this.list.push(Object.freeze({ nameSuffix: v.nameSuffix, labels: Object.freeze([...v.labels]), kind: v.kind }));
    this.bySignature.set(sig, variant);
    const keys = v.labels.filter((_, i) => i % 2 === 0);
    const shapeId = `${v.nameSuffix.length}\u0001${keys.join('\u0000')}`;
    if (!this.shapeIds.has(shapeId)) {
      this.shapeIds.add(shapeId);
      this.shapes.push({ suffixLength: v.nameSuffix.length, keys });
    }
    return { variant, isNew: true };
  }

  /**
   * Every way (name, labels) reads as a registered variant of some parent, or undefined. Cheap
   * enough for each new series: one map lookup per shape (usually one or two shapes).
   */
  match(name: string, labels: Labels): VariantMatch[] | undefined {
    let out: VariantMatch[] | undefined;
    for (const shape of this.shapes) {
      if (name.length < shape.suffixLength) continue;
      const pairs: string[] = [];
      for (const key of shape.keys) {
        const value = getLabel(labels, key);
        if (value === undefined) break;
        pairs.push(key, value);
      }
      if (pairs.length !== shape.keys.length * 2) continue;
      const suffix = name.slice(name.length - shape.suffixLength);
      const variant = this.bySignature.get(signature(suffix, pairs));
      if (variant === undefined) continue;
      (out ??= []).push({
        variant,
        parentName: name.slice(0, name.length - shape.suffixLength),
        parentLabels: withoutKeys(labels, shape.keys),
      });
    }
    return out;
  }
}

/** True when the parent already has one of the variant's label keys (the variant would override it). */
export function overridesLabel(parent: Labels, v: SeriesVariant): boolean {
  for (let i = 0; i < v.labels.length; i += 2) if (getLabel(parent, v.labels[i]!) !== undefined) return true;
  return false;
}

/** The labels of a variant of `parent`: both sorted runs merged (the variant's value wins). */
export function variantLabels(parent: Labels, v: SeriesVariant): Labels {
  const add = v.labels;
  if (add.length === 0) return parent;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < parent.length || j < add.length) {
    if (j >= add.length || (i < parent.length && parent[i]! < add[j]!)) {
      out.push(parent[i]!, parent[i + 1]!);
      i += 2;
    } else {
      if (i < parent.length && parent[i] === add[j]) i += 2;
      out.push(add[j]!, add[j + 1]!);
      j += 2;
    }
  }
  return Object.freeze(out);
}

function signature(nameSuffix: string, labels: readonly string[]): string {
  return `${nameSuffix}\u0001${labels.join('\u0000')}`;
}

function withoutKeys(labels: Labels, keys: readonly string[]): Labels {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i += 2) if (!keys.includes(labels[i]!)) out.push(labels[i]!, labels[i + 1]!);
  return Object.freeze(out);
}
