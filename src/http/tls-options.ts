import { readFile } from 'node:fs/promises';
import type { ServerOptions } from 'node:https';
import type { HttpServerConfig } from './server-config';

/** Reads the PEM files of a `tls` block (at start, never in create). A client CA turns on mutual TLS. */
export async function loadTlsOptions(tls: NonNullable<HttpServerConfig['tls']>): Promise<ServerOptions> {
  const [cert, key, ca] = await Promise.all([
    readFile(tls.cert_file),
    readFile(tls.key_file),
    tls.client_ca_file ? readFile(tls.client_ca_file) : Promise.resolve(undefined),
  ]);
  const options: ServerOptions = { cert, key, minVersion: 'TLSv1.2' };
  if (ca) {
    options.ca = ca;
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  return options;
}
