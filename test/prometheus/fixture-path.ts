import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Fixtures stay in the source tree; find it above the compiled test whatever the output dir. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

export const FIXTURES = join(repoRoot(), 'test', 'prometheus', 'fixtures');
