/**
 * OpenTelemetry-to-Prometheus name rules, kept minimal so that names that are already valid
 * Prometheus names pass through untouched (a scrape → export round trip keeps them):
 * - every run of characters outside `[a-zA-Z0-9_:]` (labels: `[a-zA-Z0-9_]`) becomes one `_`;
 * - a leading digit gets a `_` prefix;
 * - an empty name becomes `_`.
 */
const INVALID_METRIC_RUN = /[^a-zA-Z0-9_:]+/g;
const INVALID_LABEL_RUN = /[^a-zA-Z0-9_]+/g;
const VALID_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const VALID_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function sanitizeMetricName(name: string): string {
  if (VALID_METRIC.test(name)) return name;
  return leadingDigit(name.replace(INVALID_METRIC_RUN, '_'));
}

export function sanitizeLabelName(name: string): string {
  if (VALID_LABEL.test(name)) return name;
  return leadingDigit(name.replace(INVALID_LABEL_RUN, '_'));
}

function leadingDigit(name: string): string {
  if (name.length === 0) return '_';
  const c = name.charCodeAt(0);
  return c >= 48 && c <= 57 ? `_${name}` : name;
}

/** OTLP (UCUM) units to Prometheus base-unit suffixes; units not listed are sanitised as-is. */
const UNIT_SUFFIX: Readonly<Record<string, string>> = {
  s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds', min: 'minutes', h: 'hours', d: 'days',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes',
  'By/s': 'bytes_per_second', m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams', Cel: 'celsius', Hz: 'hertz',
  '%': 'percent',
};

/**
 * The suffix a unit adds to a metric name, or '' for none. Annotations (`{requests}`) and the
 * dimensionless `1` add nothing (the spec's `_ratio` for gauges is left out on purpose: it
 * renames existing gauges that merely declare unit 1).
 */
export function unitSuffix(unit: string | undefined): string {
  if (unit === undefined || unit === '' || unit === '1') return '';
  const stripped = unit.replace(/\{[^}]*\}/g, '');
  if (stripped === '' || stripped === '1') return '';
  const known = UNIT_SUFFIX[stripped];
  if (known !== undefined) return known;
  const per = stripped.indexOf('/');
  if (per > 0) {
    const a = UNIT_SUFFIX[stripped.slice(0, per)] ?? stripped.slice(0, per);
    const b = UNIT_SUFFIX[stripped.slice(per + 1)] ?? stripped.slice(per + 1);
    return sanitizeLabelName(`${a}_per_${singular(b)}`).replace(/^_+|_+$/g, '');
  }
  return sanitizeLabelName(stripped).replace(/^_+|_+$/g, '');
}

function singular(unit: string): string {
  return unit.endsWith('s') ? unit.slice(0, -1) : unit;
}

/** Appends `_<suffix>` unless the name already ends with it (or with it before `_total`). */
export function withSuffix(name: string, suffix: string): string {
  if (suffix === '' || name.endsWith(`_${suffix}`) || name === suffix) return name;
  return `${name}_${suffix}`;
}

/** Label value escaping shared by the text format and OpenMetrics: `\\`, `\n`, `"`. */
export function escapeLabelValue(value: string): string {
  if (!/[\\\n"]/.test(value)) return value;
  return value.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escaping: the text format escapes `\\` and `\n`; OpenMetrics also `"`. */
export function escapeHelp(text: string, openMetrics: boolean): string {
  const re = openMetrics ? /[\\\n"]/g : /[\\\n]/g;
  return text.replace(re, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A sample value as both formats spell it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
