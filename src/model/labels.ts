/**
 * Labels are a flat, frozen array `[k1, v1, k2, v2, ...]` sorted by key, without duplicates.
 * Flat arrays cost one allocation per series (not per label) and compare cheaply.
 */
export type Labels = readonly string[];

export const NO_LABELS: Labels = Object.freeze([]);

/** Builds sorted flat labels from a record. Later duplicates cannot occur in a record. */
export function labelsFromRecord(record: Readonly<Record<string, string>>): Labels {
  const keys = Object.keys(record).sort();
  const out: string[] = new Array(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    out[2 * i] = keys[i]!;
    out[2 * i + 1] = record[keys[i]!]!;
  }
  return Object.freeze(out);
}

/** Sorts flat `[k, v, ...]` pairs by key; the last value of a duplicated key wins. */
export function normalizeLabels(pairs: readonly string[]): Labels {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < pairs.length; i += 2) map.set(pairs[i]!, pairs[i + 1]!);
  const keys = [...map.keys()].sort();
  const out: string[] = [];
  for (const k of keys) out.push(k, map.get(k)!);
  return Object.freeze(out);
}

export function labelsToRecord(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < labels.length; i += 2) out[labels[i]!] = labels[i + 1]!;
  return out;
}

export function getLabel(labels: Labels, key: string): string | undefined {
  for (let i = 0; i < labels.length; i += 2) if (labels[i] === key) return labels[i + 1];
  return undefined;
}

/** Returns new labels with `key` set to `value` (or removed when `value` is undefined). */
export function withLabel(labels: Labels, key: string, value: string | undefined): Labels {
  const out: string[] = [];
  let placed = value === undefined;
  for (let i = 0; i < labels.length; i += 2) {
    const k = labels[i]!;
    if (k === key) continue;
    if (!placed && k > key) {
      out.push(key, value!);
      placed = true;
    }
    out.push(k, labels[i + 1]!);
  }
  if (!placed) out.push(key, value!);
  return Object.freeze(out);
}

/**
 * The interning key of a series: name and labels joined with separators that cannot occur
 * unescaped. Built with one `join` so the key is a flat string: `+=` would build a rope of one
 * node per piece, which V8 keeps alongside the flattened copy once the key is hashed (measured:
 * about 1 KB per series instead of about 0.5 KB).
 */
export function seriesKey(name: string, labels: Labels): string {
  const parts: string[] = new Array(labels.length + 1);
  parts[0] = name;
  for (let i = 0; i < labels.length; i++) parts[i + 1] = labels[i]!;
  return parts.join('\u0000');
}
