import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench [-- filter]`: runs every `bench/*.bench.ts` (compiled) in turn. Each exports
 * `title` and `run()`, and prints its lines through `report()`.
 */
interface BenchModule {
  readonly title: string;
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
  console.log(`nissa bench on node ${process.version}, ${process.platform}/${process.arch}`);
  for (const file of files) {
    if (filter && !file.includes(filter)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, file)) as BenchModule;
    console.log(`\n${mod.title}`);
    await mod.run();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
