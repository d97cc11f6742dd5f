import type { Clock } from '../api/clock';
import type { Logger } from '../api/logger';
import { formatDiagnostic, loadConfigText } from '../config';
import { builtinRegistry } from '../plugins/builtins';
import type { Registry } from '../plugins/registry';
import { Collector } from '../runtime/collector';
import { MemoryLogger } from './test-context';

export interface StartCollectorOptions {
  /** Defaults to a fresh registry of the built-in plugins. */
  readonly registry?: Registry;
  readonly env?: Record<string, string | undefined>;
  /** The file name used in config diagnostics and to resolve `service.plugins` paths. */
  readonly file?: string;
  readonly clock?: Clock;
  /** Defaults to a MemoryLogger, so tests can assert on log lines. */
  readonly logger?: Logger;
  /** Self-telemetry endpoint; defaults to null (off) so parallel tests never fight over :8888. */
  readonly telemetryEndpoint?: string | null;
}

/** A collector started from YAML text, for end-to-end tests. Throws with every config error. */
export async function startCollector(yaml: string, opts: StartCollectorOptions = {}): Promise<Collector> {
  const registry = opts.registry ?? builtinRegistry();
  const result = loadConfigText(yaml, opts.file ?? 'test.yaml', { registry, env: opts.env ?? {} });
  if (!result.config) throw new Error(`invalid test config:\n${result.errors.map(formatDiagnostic).join('\n')}`);
  const collector = new Collector(result.config, {
    registry,
    logger: opts.logger ?? new MemoryLogger(),
    telemetryEndpoint: opts.telemetryEndpoint === undefined ? null : opts.telemetryEndpoint,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  await collector.start();
  return collector;
}
