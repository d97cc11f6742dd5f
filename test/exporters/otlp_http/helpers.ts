import type { Clock, ConsumingInstance } from '../../../src/api';
import { createTestContext, pluginConfig, type TestContext } from '../../../src/testing';
import { plugin } from '../../../exporters/otlp_http';
import type { OtlpHttpExporterConfig } from '../../../exporters/otlp_http/config';
import type { SeriesTable } from '../../../src/api';
import { MockOtlpServer } from './mock-server';

export const SECRET = 'Bearer s3cr3t-token-do-not-log';

export interface StartedExporter {
  readonly ctx: TestContext<OtlpHttpExporterConfig>;
  readonly exporter: ConsumingInstance;
}

/** A started `otlp_http` exporter with its config validated and defaulted by the plugin's schema. */
export async function startExporter(config: Record<string, unknown>, opts: { clock?: Clock; series?: SeriesTable } = {}): Promise<StartedExporter> {
  const ctx = createTestContext<OtlpHttpExporterConfig>({ kind: 'exporter', config: pluginConfig(plugin, config), ...opts });
  const exporter = plugin.create(ctx);
  await exporter.start?.();
  return { ctx, exporter };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

export interface MockServerFixture {
  server: MockOtlpServer;
  /** The server's base URL. */
  base: string;
  /** The exporter a test started, shut down after it. */
  started: StartedExporter | undefined;
}

/** For each test of the calling `describe`: a fresh mock OTLP server before, and after, the test's exporter shut down and the server stopped. */
export function mockServerFixture(): MockServerFixture {
  const f = { started: undefined } as MockServerFixture;
  beforeEach(async () => {
    f.server = new MockOtlpServer();
    f.base = await f.server.start();
  });
  afterEach(async () => {
    await f.started?.exporter.shutdown?.();
    f.started = undefined;
    await f.server.stop();
  });
  return f;
}
