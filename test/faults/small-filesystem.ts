import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFilesystem {
  readonly dir: string;
  /** Which mount worked: `tmpfs`, or `ext4-loop` (an image file mounted through a loop device). */
  readonly kind: 'tmpfs' | 'ext4-loop';
  unmount(): void;
}

/**
 * A size-capped directory for disk-full tests: a small tmpfs, or, where tmpfs mounts are refused,
 * a small ext4 image on a loop device. Both need root (CI and the dev box run tests as root).
 */
export function mountSmallFilesystem(sizeMiB: number): SmallFilesystem {
  const base = fs.mkdtempSync(join(tmpdir(), 'nissa-smallfs-'));
  const dir = join(base, 'mnt');
  fs.mkdirSync(dir);
  const cleanup = (): void => fs.rmSync(base, { recursive: true, force: true });
  const errors: string[] = [];
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir, kind: 'tmpfs', unmount: () => (umount(dir), cleanup()) };
  } catch (err) {
    errors.push(`tmpfs: ${String(err)}`);
  }
  try {
    const image = join(base, 'fs.img');
    fs.writeFileSync(image, Buffer.alloc(0));
    fs.truncateSync(image, Math.max(sizeMiB, 2) * 1024 * 1024);
    execFileSync('mkfs.ext4', ['-q', '-F', image], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'loop', image, dir], { stdio: 'pipe' });
    return { dir, kind: 'ext4-loop', unmount: () => (umount(dir), cleanup()) };
  } catch (err) {
    errors.push(`ext4 loop: ${String(err)}`);
  }
  cleanup();
  throw new Error(`cannot mount a small filesystem (needs root):\n${errors.join('\n')}`);
}

function umount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  }
}
