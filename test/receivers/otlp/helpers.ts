import { gzipSync } from 'node:zlib';
import { CollectingOutput, FakeClock, receiverContext } from '../../../src/testing';
import { systemClock, type Clock, type Signal } from '../../../src/api';
import { plugin } from '../../../receivers/otlp';
import type { OtlpReceiverConfig } from '../../../receivers/otlp/config';

export const NOW = Date.UTC(2026, 0, 1);
export const TOKEN = 'test-token-0123';

export function config(overrides: Partial<OtlpReceiverConfig> = {}): OtlpReceiverConfig {
  return {
    endpoint: '127.0.0.1:0',
    max_request_body_size: '20MiB',
    max_future: '1h',
    resource_to_labels: { job: true, instance: true, promote: [], prefix: '', target_info: true },
    scope_labels: true,
    series_cache_size: 1000,
    ...overrides,
  };
}

/** A started receiver on an ephemeral port with a collecting output; the clock is at {@link NOW} unless `realClock`. */
export async function startReceiver(cfg: OtlpReceiverConfig, signals: Signal[] = ['metrics', 'events'], realClock = false) {
  const output = new CollectingOutput(signals);
  const clock: Clock = realClock ? systemClock : new FakeClock(NOW);
  const ctx = receiverContext({ config: cfg, output, clock });
  const instance = plugin.create(ctx);
  await instance.start?.();
  const base = `http://${instance.address!()}`;
  return { ctx, output, instance, base, stop: async () => instance.shutdown?.() };
}

export interface Reply {
  status: number;
  contentType: string;
  retryAfter: string | null;
  body: Buffer;
}

export async function post(url: string, body: Buffer | string, contentType: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), body: Buffer.from(await res.arrayBuffer()) };
}

export function gzip(body: Buffer | string): Buffer {
  return gzipSync(body);
}
