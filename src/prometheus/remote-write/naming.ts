import { MetricKind } from '../../api';

/**
 * OpenTelemetry → Prometheus naming (the "Prometheus and OpenMetrics compatibility" rules of the
 * OTel specification): characters outside the Prometheus alphabet become `_`, a leading digit
 * gets a prefix, the unit is appended as a word when known, and monotonic counters end in `_total`.
 */
const INVALID_METRIC_CHARS = /[^a-zA-Z0-9_:]/g;
const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]/g;
const MULTIPLE_UNDERSCORES = /__+/g;

export function sanitizeMetricName(name: string): string {
  let out = name.replace(INVALID_METRIC_CHARS, '_');
  if (out !== name) out = out.replace(MULTIPLE_UNDERSCORES, '_');
  if (out.length === 0) return '_';
  return out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57 ? `_${out}` : out;
}

/** Label names: invalid characters become `_`; a leading digit gets `key_`. `__`-prefixed names are kept. */
export function sanitizeLabelName(name: string): string {
  const out = name.replace(INVALID_LABEL_CHARS, '_');
  if (out.length === 0) return 'key_';
  return out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57 ? `key_${out}` : out;
}

/** UCUM units OTel uses, spelled out the Prometheus way. Units in braces (`{requests}`) are annotations: dropped. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tebibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams', Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};

/** The unit as name words (`By/s` → `bytes_per_second`), or '' when none applies. */
export function unitSuffix(unit: string | undefined, kind: MetricKind): string {
  if (!unit) return '';
  if (unit === '1') return kind === MetricKind.GAUGE ? 'ratio' : '';
  const [main, per] = unit.split('/', 2) as [string, string | undefined];
  const word = (u: string | undefined): string => {
    if (!u || u.startsWith('{')) return '';
    return UNIT_WORDS[u] ?? sanitizeMetricName(u).replace(/^_+|_+$/g, '');
  };
  const a = word(main);
  const b = per === undefined ? '' : word(per).replace(/s$/, '');
  if (a && b) return `${a}_per_${b}`;
  return a || (b ? `per_${b}` : '');
}

/**
 * The Prometheus metric family name of a series. With `addSuffixes`, the unit word and, for
 * monotonic counters, `_total` are appended unless the name already ends with them.
 */
export function prometheusMetricName(name: string, kind: MetricKind, unit: string | undefined, addSuffixes: boolean): string {
  let out = sanitizeMetricName(name);
  if (!addSuffixes) return out;
  const isCounter = kind === MetricKind.COUNTER || kind === MetricKind.DELTA_COUNTER;
  if (isCounter && out.endsWith('_total')) out = out.slice(0, -'_total'.length);
  const suffix = unitSuffix(unit, kind);
  if (suffix && !out.endsWith(`_${suffix}`)) out += `_${suffix}`;
  if (isCounter) out += '_total';
  return out;
}
