import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-only file with size-based rotation: before a write that would take the file past
 * `maxBytes`, `path` becomes `path.1`, `path.1` becomes `path.2`, ... and `path.<maxBackups>` is
 * dropped. A write is never split across files, so a line is always whole in one file; a single
 * write larger than the limit goes alone into a fresh file.
 */
export class RotatingFile {
  private handle: FileHandle | undefined;
  private size = 0;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly maxBackups: number,
  ) {}

  async open(): Promise<void> {
    if (this.handle !== undefined) return;
    await mkdir(dirname(this.path), { recursive: true });
    this.handle = await open(this.path, 'a');
    this.size = (await this.handle.stat()).size;
  }

  /** Whether `bytes` more can be appended without rotating first. */
  fits(bytes: number): boolean {
    return this.size === 0 || this.size + bytes <= this.maxBytes;
  }

  /** Appends `text` (`bytes` long in UTF-8), rotating first when it would not fit. */
  async write(text: string, bytes: number): Promise<void> {
    await this.open();
    if (!this.fits(bytes)) await this.rotate();
    try {
      await this.handle!.appendFile(text, 'utf8');
    } catch (err) {
      // The handle may be broken (disk removed...): reopen on the next write.
      await this.close();
      throw err;
    }
    this.size += bytes;
  }

  /** Pushes written data to the disk (graceful stop: nothing the exporter accepted stays in memory). */
  async sync(): Promise<void> {
    await this.handle?.sync();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async rotate(): Promise<void> {
    await this.close();
    if (this.maxBackups === 0) {
      await rm(this.path, { force: true });
    } else {
      for (let i = this.maxBackups - 1; i >= 1; i--) await renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      await rename(this.path, `${this.path}.1`);
    }
    await this.open();
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
