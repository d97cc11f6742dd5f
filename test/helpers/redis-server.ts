import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { onFreePort } from './free-port';

export interface RedisServerOptions {
  /** Append-only file with fsync on every write: data and consumer groups survive `restart()`. */
  readonly appendonly?: boolean;
}

/**
 * A real `/usr/bin/redis-server` on 127.0.0.1, an ephemeral port and a temp dir, for tests.
 * `restart()` stops it (SIGTERM: a clean shutdown) and starts it again on the same port.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number, private readonly dir: string, private readonly opts: RedisServerOptions) {}

  static start(opts: RedisServerOptions = {}): Promise<RedisServer> {
    // redis-server cannot listen on port 0 and report it.
    return onFreePort(async (port) => {
      const server = new RedisServer(port, mkdtempSync(join(tmpdir(), 'nissa-redis-')), opts);
      try {
        await server.launch();
      } catch (err) {
        rmSync(server.dir, { recursive: true, force: true });
        throw err;
      }
      return server;
    });
  }

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A client for the test itself (the caller disconnects it). */
  client(): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.port, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    client.on('error', () => undefined); // refused connections while the server restarts: retried
    return client;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const persistence = this.opts.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir, '--daemonize', 'no'];
    const child = spawn('/usr/bin/redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        output += d.toString();
        if (/Ready to accept connections/.test(output)) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
    child.stdout!.resume();
    child.stderr!.resume();
  }
}
