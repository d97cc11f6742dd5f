import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../src/cli/node-flags';

/** The compiled CLI next to the compiled tests (dist/src/cli/main.js, or any other outDir). */
export const CLI_MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

export interface SpawnNissaOptions extends Pick<SpawnOptions, 'stdio' | 'env'> {
  /** Node options after the launcher's (V8 tracing, for tests that read it). */
  readonly nodeFlags?: readonly string[];
}

/**
 * Spawns `nissa <args>` as a real process, with the launcher's V8 options; output piped unless
 * `options` say otherwise (the relay bench ignores it).
 */
export function spawnNissa(args: readonly string[], cwd: string, options: SpawnNissaOptions = {}): ChildProcess {
  const { nodeFlags = [], ...spawnOptions } = options;
  return spawn(process.execPath, [...NODE_FLAGS, ...nodeFlags, '-e', `require(${JSON.stringify(CLI_MAIN)}).main(process.argv.slice(1))`, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
}

/** Runs `nissa <args>` to completion. */
export function runNissa(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnNissa(args, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
