import { formatDiagnostic, loadConfig, validateCommand } from '../config';
import type { NissaConfig } from '../config/types';
import type { Registry } from '../plugins/registry';
import { builtinRegistry } from '../plugins/builtins';
import { loadUserPlugins } from '../plugins/load-user-plugins';
import { Collector } from '../runtime/collector';
import { JsonLogger } from '../runtime/logger';
import { parseArgs } from './args';
import { renderGraph } from './render-graph';

const USAGE = `usage: nissa <command> [--config FILE]
  run         --config FILE     run the collector (default ./pipelines.yaml)
  validate    --config FILE     check a config; exit 0 when valid, 1 with every error printed
  graph       --config FILE --format mermaid|dot   print the pipeline graph
  components  [--plugins a.js,b.js]  list plugin types with their signals and config schemas`;

/** Loads and validates, printing every diagnostic; returns the config or undefined. */
function load(file: string, registry: Registry): NissaConfig | undefined {
  const result = loadConfig(file, { registry, env: process.env });
  for (const w of result.warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
  for (const e of result.errors) process.stderr.write(`${formatDiagnostic(e)}\n`);
  return result.config;
}

async function run(file: string): Promise<number> {
  // The registry the config is validated with also holds the user plugins it names.
  const registry = builtinRegistry();
  let config = load(file, registry);
  if (!config) return 1;
  let collector: Collector | undefined;
  let reloading = false;
  const logger = new JsonLogger(config.service.telemetry.logs.level);

  const make = (cfg: NissaConfig, registry: Registry) => new Collector(cfg, { registry, logger, onReload: () => void reload() });
  const reload = async (): Promise<void> => {
    if (reloading) return;
    reloading = true;
    try {
      const registry = builtinRegistry();
      const next = load(file, registry);
      if (!next) {
        logger.error('reload refused: the config file has errors; still running the previous config', { file });
        return;
      }
      await collector?.shutdown();
      config = next;
      collector = make(next, registry);
      await collector.start();
      logger.info('config reloaded', { file });
    } finally {
      reloading = false;
    }
  };

  collector = make(config, registry);
  await collector.start();
  return new Promise<number>((resolve) => {
    // Plugins unref their timers; the collector itself keeps the process alive until a signal.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('stopping', { signal });
      // The keep-alive stays until the stop completes: the drain waits on unref'd timers.
      collector!.shutdown().then(
        () => (clearInterval(keepAlive), resolve(0)),
        () => (clearInterval(keepAlive), resolve(1)),
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => void reload());
  });
}

function components(pluginSpecs: string | undefined): string {
  const registry = builtinRegistry();
  if (pluginSpecs) loadUserPlugins(pluginSpecs.split(','), `${process.cwd()}/nissa.yaml`, registry);
  const out = registry.list()
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.type.localeCompare(b.type))
    .map((d) => ({ kind: d.kind, type: d.type, description: d.description, signals: d.signals, config_schema: d.configSchema }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { command, flags } = parseArgs(argv);
  const file = flags.get('config') ?? 'pipelines.yaml';
  let code = 0;
  try {
    switch (command) {
      case 'run':
        code = await run(file);
        break;
      case 'validate': {
        const out = validateCommand(file, builtinRegistry());
        process.stdout.write(out.text.endsWith('\n') ? out.text : `${out.text}\n`);
        code = out.exitCode;
        break;
      }
      case 'graph': {
        const format = flags.get('format') ?? 'mermaid';
        if (format !== 'mermaid' && format !== 'dot') throw new Error(`--format must be mermaid or dot, got ${format}`);
        const config = load(file, builtinRegistry());
        if (!config) code = 1;
        else process.stdout.write(renderGraph(config, format));
        break;
      }
      case 'components':
        process.stdout.write(components(flags.get('plugins')));
        break;
      default:
        process.stderr.write(`${USAGE}\n`);
        code = command === undefined || command === 'help' ? 0 : 2;
    }
  } catch (err) {
    process.stderr.write(`nissa: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  }
  // The CLI is the only place that ends the process.
  process.exit(code);
}
