/** Splits `host:port` (IPv6 as `[::1]:port`); a bare port binds 127.0.0.1, never all interfaces by accident. */
export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(endpoint) ?? /^()()(\d+)$/.exec(endpoint);
  if (!m) throw new Error(`invalid endpoint "${endpoint}": expected host:port`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port: Number(m[3]) };
}
