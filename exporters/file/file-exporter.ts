import {
  batchSize,
  parseDuration,
  RetryableError,
  type Batch,
  type ConsumingInstance,
  type ExporterContext,
  type TimerHandle,
} from '../../src/api';
import { JsonLinesFormatter } from '../../src/export';
import type { FileConfig } from './config';
import { RotatingFile } from './rotating-file';

/** Write out early once this much waits, so a fast pipeline makes large, few writes. */
const FLUSH_AT_BYTES = 1 << 20;
/** Beyond this, refuse new data (back-pressure) until the disk catches up. */
const MAX_BUFFERED_BYTES = 64 << 20;

interface Chunk {
  readonly text: string;
  readonly bytes: number;
  readonly items: number;
}

/**
 * Appends items as JSON lines (docs/file-format.md). `consume` resolves once the batch is formatted
 * into the write buffer; the buffer is written every `flush_interval`, when it passes 1 MiB, on
 * `flush()` and on shutdown, which resolves only after everything buffered is on disk.
 */
export class FileExporter implements ConsumingInstance {
  private readonly formatter: JsonLinesFormatter;
  private readonly file: RotatingFile;
  private readonly flushIntervalMs: number;
  private pending: Chunk[] = [];
  private bufferedBytes = 0;
  /** Writes run one after another; this is the last one queued. */
  private writing: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly ctx: ExporterContext<FileConfig>) {
    const { path, rotation, flush_interval } = ctx.config;
    this.formatter = new JsonLinesFormatter(ctx.series);
    this.file = new RotatingFile(path, Math.max(1, Math.floor(rotation.max_megabytes * 1024 * 1024)), rotation.max_backups);
    this.flushIntervalMs = Math.max(1, parseDuration(flush_interval));
  }

  async start(): Promise<void> {
    await this.file.open();
    this.timer = this.ctx.clock.setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  async consume(batch: Batch): Promise<void> {
    if (this.closed) throw new RetryableError('file exporter is shut down', { code: 'ERR_SHUTTING_DOWN' });
    if (this.bufferedBytes >= MAX_BUFFERED_BYTES) {
      throw new RetryableError(`file exporter buffer is full (${this.bufferedBytes} bytes waiting for ${this.file.path})`, {
        retryAfterMs: this.flushIntervalMs,
        code: 'ERR_QUEUE_FULL',
      });
    }
    const text = this.formatter.format(batch);
    if (text.length === 0) return;
    const bytes = Buffer.byteLength(text, 'utf8');
    this.pending.push({ text, bytes, items: batchSize(batch) });
    this.bufferedBytes += bytes;
    if (this.bufferedBytes >= FLUSH_AT_BYTES) void this.flush();
  }

  /** Writes everything buffered so far; resolves when it is written. Never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeOut());
    return this.writing;
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.ctx.clock.clear(this.timer);
    await this.flush();
    await this.file.sync().catch((err: unknown) => this.ctx.logger.warn('cannot sync file', { path: this.file.path, error: String(err) }));
    await this.file.close();
  }

  private async writeOut(): Promise<void> {
    const chunks = this.pending;
    if (chunks.length === 0) return;
    this.pending = [];
    // One write per run of chunks that fits the current file: few syscalls, whole lines per file.
    let text = '';
    let bytes = 0;
    let items = 0;
    for (const chunk of chunks) {
      if (bytes > 0 && !this.file.fits(bytes + chunk.bytes)) {
        await this.write(text, bytes, items);
        text = '';
        bytes = 0;
        items = 0;
      }
      text += chunk.text;
      bytes += chunk.bytes;
      items += chunk.items;
    }
    await this.write(text, bytes, items);
  }

  private async write(text: string, bytes: number, items: number): Promise<void> {
    try {
      await this.file.write(text, bytes);
    } catch (err) {
      // consume() already accepted these items: report the loss rather than hide it.
      this.ctx.telemetry.dropped(items, 'write_error');
      this.ctx.logger.error('cannot write to file', { path: this.file.path, items, error: (err as Error).message });
    }
    this.bufferedBytes -= bytes;
  }
}
