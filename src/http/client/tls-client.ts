import { readFile } from 'node:fs/promises';
import type { AgentOptions } from 'node:https';
import type { JsonSchema } from '../../api';

/** The `tls` block of an exporter that calls https endpoints. */
export interface TlsClientConfig {
  ca_file: string;
  cert_file: string;
  key_file: string;
  insecure_skip_verify: boolean;
}

/** Schema of the `tls` block (every key defaulted, so `{}` means system CAs, no client cert). */
export const tlsClientSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'TLS for https endpoints.',
  properties: {
    ca_file: { type: 'string', default: '', description: 'PEM file of the CA(s) that sign the server certificate (empty: the system CAs).' },
    cert_file: { type: 'string', default: '', description: 'PEM client certificate for mutual TLS (with key_file).' },
    key_file: { type: 'string', default: '', description: 'PEM private key of cert_file.' },
    insecure_skip_verify: { type: 'boolean', default: false, description: 'Do not verify the server certificate (testing only).' },
  },
};

/** Reads the PEM files of the `tls` block (in `start`, never in `create`). */
export async function tlsAgentOptions(tls: TlsClientConfig): Promise<AgentOptions> {
  const read = (path: string): Promise<Buffer | undefined> => (path === '' ? Promise.resolve(undefined) : readFile(path));
  const [ca, cert, key] = await Promise.all([read(tls.ca_file), read(tls.cert_file), read(tls.key_file)]);
  const options: AgentOptions = { minVersion: 'TLSv1.2', rejectUnauthorized: !tls.insecure_skip_verify };
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  return options;
}
