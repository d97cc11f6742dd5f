import * as fs from 'node:fs';

/** Promise forms of the fd-based calls the queue uses (node:fs/promises works on FileHandles, not fds). */

export function writevAt(fd: number, buffers: readonly Buffer[], position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.writev(fd, buffers as Buffer[], position, (err, n) => (err ? reject(err) : resolve(n))));
}

export function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n === length ? buf : buf.subarray(0, n)))),
  );
}

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export function ftruncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => fs.ftruncate(fd, length, (err) => (err ? reject(err) : resolve())));
}

/** Writes every buffer at `position`, continuing after short writes (a filling disk can cut one). */
export async function writeAllAt(fd: number, buffers: readonly Buffer[], position: number): Promise<void> {
  // Chunks well under IOV_MAX (1024 on Linux).
  for (let i = 0; i < buffers.length; i += 256) {
    let chunk = buffers.slice(i, i + 256);
    let total = chunk.reduce((n, b) => n + b.length, 0);
    while (total > 0) {
      const n = await writevAt(fd, chunk, position);
      if (n === 0) throw Object.assign(new Error('write made no progress'), { code: 'ENOSPC' });
      position += n;
      total -= n;
      chunk = dropBytes(chunk, n);
    }
  }
}

function dropBytes(buffers: Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (n >= b.length) n -= b.length;
    else {
      out.push(n > 0 ? b.subarray(n) : b);
      n = 0;
    }
  }
  return out;
}

/** fsync of a directory, so a newly created file's name survives a power cut. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the data itself is still synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
