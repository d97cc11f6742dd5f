import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parseEndpoint } from '../api/endpoint';
import { acceptsGzip } from './negotiation';

const gzipAsync = promisify(gzip);

export interface Exposition {
  readonly body: string;
  readonly contentType: string;
}

/**
 * A small GET-only HTTP server for a pull endpoint: `GET|HEAD <path>` answers with what
 * `render(accept)` returns, gzipped when the client accepts it; anything else is 404/405.
 * The body is rendered in full before the first byte is written, so slow clients never hold
 * the renderer, and concurrent scrapes each get their own snapshot.
 */
export class MetricsServer {
  private server: Server | undefined;

  constructor(
    private readonly path: string,
    private readonly render: (accept: string | undefined) => Exposition,
    private readonly onError: (err: Error) => void,
  ) {}

  async listen(endpoint: string): Promise<void> {
    const { host, port } = parseEndpoint(endpoint);
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** `host:port` actually bound (port resolved when 0 was asked). */
  address(): string {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (!a) return '';
    return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== this.path) return end(res, 404, 'not found\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return end(res, 405, 'method not allowed\n');
      }
      const exp = this.render(req.headers.accept);
      res.setHeader('Content-Type', exp.contentType);
      let body: Buffer = Buffer.from(exp.body, 'utf8');
      if (acceptsGzip(req.headers['accept-encoding'])) {
        body = await gzipAsync(body);
        res.setHeader('Content-Encoding', 'gzip');
      }
      res.setHeader('Content-Length', body.length);
      res.statusCode = 200;
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.onError(err as Error);
      if (!res.headersSent) end(res, 500, 'internal error\n');
      else res.destroy();
    }
  }
}

function end(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}
