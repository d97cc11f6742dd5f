import * as fs from 'node:fs';
import { join, resolve } from 'node:path';

const heldHere = new Set<string>();

/**
 * Claims a queue directory for this process: two queues appending to the same files would
 * corrupt each other. The `LOCK` file holds the owner's pid; a lock whose process is gone
 * (after `kill -9`) is taken over. Returns the release function.
 */
export function lockDirectory(dir: string): () => void {
  const key = resolve(dir);
  if (heldHere.has(key)) throw new Error(`queue directory ${dir} is already used by another exporter of this process`);
  const path = join(dir, 'LOCK');
  try {
    fs.writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(fs.readFileSync(path, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(`queue directory ${dir} is locked by running process ${owner}`);
    }
    fs.writeFileSync(path, String(process.pid));
  }
  heldHere.add(key);
  return () => {
    heldHere.delete(key);
    fs.rmSync(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
