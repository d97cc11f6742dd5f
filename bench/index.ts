import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench [-- filter]`: runs every `bench/*.bench.ts` (compiled) in turn, each in its own
 * process, so one benchmark's heap (e.g. a million interned series) never slows the next one's GC.
 * Each module exports `title` and `run()`, and prints its lines through `report()`.
 */
interface BenchModule {
  readonly title: string;
  run(): Promise<void>;
}

async function runOne(file: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(__dirname, file)) as BenchModule;
  console.log(`\n${mod.title}`);
  await mod.run();
}

function runAll(filter: string | undefined): number {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter))).sort();
  console.log(`nissa bench on node ${process.version}, ${process.platform}/${process.arch}`);
  let failed = 0;
  for (const file of files) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', file], { stdio: 'inherit' });
    if (child.status !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const one = process.argv.indexOf('--one');
  if (one >= 0) {
    await runOne(process.argv[one + 1]!);
    return 0;
  }
  return runAll(process.argv[2]);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
