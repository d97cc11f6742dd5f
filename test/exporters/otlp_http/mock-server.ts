import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent on the wire. */
  readonly raw: Buffer;
  /** The body after Content-Encoding. */
  readonly body: Buffer;
}

/** An answer, or `hang` (never answer: the client must time out). */
export type MockAnswer = { status: number; headers?: Record<string, string>; body?: Buffer | string } | 'hang';

/**
 * An OTLP/HTTP server stand-in on 127.0.0.1 and an ephemeral port: records every request and
 * answers from a script (`answers` in order, then `fallback`).
 */
export class MockOtlpServer {
  readonly requests: ReceivedRequest[] = [];
  readonly answers: MockAnswer[] = [];
  fallback: MockAnswer = { status: 200 };
  private readonly server: Server;
  private readonly hanging: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        this.requests.push({ path: req.url ?? '', headers: req.headers, raw, body });
        const answer = this.answers.shift() ?? this.fallback;
        if (answer === 'hang') {
          this.hanging.push(() => res.destroy());
          return;
        }
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const h of this.hanging) h();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
