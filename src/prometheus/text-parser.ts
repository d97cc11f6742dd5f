/**
 * A line parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0.
 *
 * It hands each sample's series text (`name{labels}` exactly as written) to the sink without
 * parsing the labels: a scraper caches series by that text (as Prometheus does), so a known
 * series costs one map lookup and labels are parsed with {@link parseLabels} only on a miss.
 * Exemplars (` # {...} v`), `# UNIT` and other comments are ignored; `# EOF` ends the input.
 */
export interface ExpositionSink {
  type(family: string, type: string): void;
  help(family: string, text: string): void;
  /**
   * One sample. `series` is the name and label text, `nameEnd` where the name ends in it;
   * `timestampMs` is NaN when the sample has none.
   */
  sample(series: string, nameEnd: number, value: number, timestampMs: number): void;
}

export class ExpositionParseError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionParseError';
  }
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

/** Parses `text`; returns the number of samples. Throws {@link ExpositionParseError}. */
export function parseExposition(text: string, openMetrics: boolean, sink: ExpositionSink): number {
  let samples = 0;
  let lineNo = 0;
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const start = skipSpaces(text, pos, lineEnd);
    if (start < lineEnd) {
      if (text.charCodeAt(start) === HASH) {
        if (comment(text, start, lineEnd, openMetrics, sink)) return samples;
      } else {
        sampleLine(text, start, lineEnd, openMetrics, sink, lineNo);
        samples++;
      }
    }
    pos = end + 1;
  }
  return samples;
}

/** Handles a `#` line; returns true on `# EOF`. */
function comment(text: string, start: number, end: number, openMetrics: boolean, sink: ExpositionSink): boolean {
  const line = text.slice(start, end);
  if (line === '# EOF') return true;
  const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
  if (!m) return false;
  const rest = m[3] ?? '';
  if (m[1] === 'TYPE') sink.type(m[2]!, rest.trim().toLowerCase());
  else sink.help(m[2]!, unescapeHelp(rest, openMetrics));
  return false;
}

function sampleLine(text: string, start: number, end: number, openMetrics: boolean, sink: ExpositionSink, lineNo: number): void {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === LBRACE || c === SPACE || c === TAB) break;
    i++;
  }
  const nameEnd = i - start;
  if (nameEnd === 0) throw new ExpositionParseError(lineNo, 'missing metric name');
  if (i < end && text.charCodeAt(i) === LBRACE) {
    i = closingBrace(text, i + 1, end);
    if (i < 0) throw new ExpositionParseError(lineNo, 'unterminated label set');
    i++;
  }
  const series = text.slice(start, i);
  i = skipSpaces(text, i, end);
  const vEnd = tokenEnd(text, i, end);
  if (vEnd === i) throw new ExpositionParseError(lineNo, 'missing value');
  const value = parseNumber(text.slice(i, vEnd));
  if (Number.isNaN(value) && !isNaNToken(text.slice(i, vEnd))) throw new ExpositionParseError(lineNo, `invalid value "${text.slice(i, vEnd)}"`);
  i = skipSpaces(text, vEnd, end);
  let ts = NaN;
  if (i < end && text.charCodeAt(i) !== HASH) {
    const tEnd = tokenEnd(text, i, end);
    const t = Number(text.slice(i, tEnd));
    if (!Number.isFinite(t)) throw new ExpositionParseError(lineNo, `invalid timestamp "${text.slice(i, tEnd)}"`);
    ts = openMetrics ? t * 1000 : t;
  }
  sink.sample(series, nameEnd, value, ts);
}

/** Index of the `}` closing a label set that starts at `i`, honouring quotes and escapes; -1 if none. */
function closingBrace(text: string, i: number, end: number): number {
  let quoted = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) quoted = true;
    else if (c === RBRACE) return i;
  }
  return -1;
}

/**
 * The labels of a series text as flat `[k, v, ...]` pairs in written order (values unescaped).
 * Throws a plain Error on malformed input.
 */
export function parseLabels(series: string, nameEnd: number): string[] {
  const out: string[] = [];
  let i = nameEnd;
  const end = series.length;
  if (i >= end) return out;
  i++; // '{'
  for (;;) {
    i = skipSpaces(series, i, end);
    if (series.charCodeAt(i) === RBRACE) return out;
    const eq = series.indexOf('=', i);
    if (eq < 0) throw new Error(`malformed labels in ${series}`);
    const key = series.slice(i, eq).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key)) throw new Error(`invalid label name "${key}"`);
    i = skipSpaces(series, eq + 1, end);
    if (series.charCodeAt(i) !== QUOTE) throw new Error(`label value of ${key} is not quoted`);
    let value = '';
    let runStart = ++i;
    for (;; i++) {
      if (i >= end) throw new Error(`unterminated label value of ${key}`);
      const c = series.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        value += series.slice(runStart, i);
        const n = series[++i];
        value += n === 'n' ? '\n' : n;
        runStart = i + 1;
      }
    }
    value += series.slice(runStart, i);
    out.push(key, value);
    i = skipSpaces(series, i + 1, end);
    if (series.charCodeAt(i) === 44) i++; // ','
    else if (series.charCodeAt(i) !== RBRACE) throw new Error(`expected , or } in ${series}`);
  }
}

function unescapeHelp(text: string, openMetrics: boolean): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/g, (all, c: string) => (c === 'n' ? '\n' : c === '\\' || (openMetrics && c === '"') ? c : all));
}

/** Parses a Prometheus float: Go's ParseFloat spellings, including `+Inf`, `-Inf`, `NaN`. */
export function parseNumber(tok: string): number {
  const n = Number(tok);
  if (!Number.isNaN(n)) return tok.length === 0 ? NaN : n;
  switch (tok.toLowerCase()) {
    case '+inf':
    case 'inf':
    case '+infinity':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return NaN;
  }
}

function isNaNToken(tok: string): boolean {
  return tok.toLowerCase() === 'nan';
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function tokenEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) break;
    i++;
  }
  return i;
}
