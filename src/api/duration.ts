/** Durations in config are strings like `250ms`, `5s`, `1m30s`, `2h`, `1d`, or plain milliseconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** JSON Schema pattern accepted by {@link parseDuration}. */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$';

/** A JSON Schema fragment for a duration option. */
export function durationSchema(defaultValue: string, description: string): Record<string, unknown> {
  return { type: ['string', 'integer'], pattern: DURATION_PATTERN, minimum: 0, default: defaultValue, description };
}

export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const re = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== value.length || value.length === 0) throw new Error(`invalid duration: ${value}`);
  return total;
}

/** Sizes in config are integers (bytes) or strings like `20MiB`, `512KiB`, `1GB`. */
const UNIT_BYTES: Record<string, number> = {
  '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgG]i?[bB]|[bB])?$';

export function sizeSchema(defaultValue: string | number, description: string): Record<string, unknown> {
  return { type: ['string', 'integer'], pattern: SIZE_PATTERN, minimum: 0, default: defaultValue, description };
}

export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(value);
  const unit = m ? UNIT_BYTES[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`invalid size: ${value}`);
  return Math.floor(Number(m[1]) * unit);
}
