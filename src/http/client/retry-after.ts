/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP-date (relative to `nowMs`). Undefined
 * when absent or unreadable, so the runtime's exponential backoff applies.
 */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
