export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * The q-value of each token of an `Accept` or `Accept-Encoding` header (lower-cased; the highest
 * when a token repeats); a token without `q` has 1.
 */
function qualities(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.split(',')) {
    const [token = '', ...params] = part.split(';');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'q' && v !== undefined) q = Number(v);
    }
    const t = token.trim().toLowerCase();
    out.set(t, Math.max(out.get(t) ?? -1, q));
  }
  return out;
}

/**
 * Content negotiation: OpenMetrics when the client's `Accept` prefers `application/openmetrics-text`
 * (by q-value, ties to OpenMetrics) over the text format, else the text format 0.0.4.
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  const q = qualities(accept);
  const om = q.get('application/openmetrics-text') ?? -1;
  const text = Math.max(q.get('text/plain') ?? -1, q.get('*/*') ?? -1, q.get('text/*') ?? -1);
  return om > 0 && om >= text;
}

/** Whether `Accept-Encoding` allows gzip: listed (or `*` when it is not) with a q-value above 0. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const q = qualities(String(header ?? ''));
  return (q.get('gzip') ?? q.get('*') ?? 0) > 0;
}
