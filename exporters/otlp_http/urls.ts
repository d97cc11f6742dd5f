/**
 * The URL of one signal: the override when set (used as is, as the OpenTelemetry Collector does),
 * else the base endpoint with the signal's path appended (`http://host:4318` → `.../v1/metrics`).
 */
export function signalUrl(endpoint: string, override: string, path: string): URL {
  if (override !== '') return new URL(override);
  return new URL(endpoint.replace(/\/+$/, '') + path);
}

/** A URL for logs and error messages: no user info and no query (either may hold a secret). */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
