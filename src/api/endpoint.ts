export interface ParsedEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Splits `host:port` (`[v6]:port` for IPv6). An empty host (`:4318`) or a bare port binds
 * 127.0.0.1, so nothing is exposed on every interface by accident.
 */
export function parseEndpoint(endpoint: string): ParsedEndpoint {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):([0-9]{1,5})$/.exec(endpoint.trim()) ?? /^()()([0-9]{1,5})$/.exec(endpoint.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`invalid endpoint "${endpoint}": expected host:port`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}
