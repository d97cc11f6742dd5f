import { batchSize, type Batch, type ConsumingInstance, type ExporterContext } from '../../src/api';
import { JsonLinesFormatter, redactSecrets } from '../../src/export';
import type { DebugConfig } from './config';

/**
 * Logs what reaches it: one log record per batch, never one per item. In `detailed` mode the record
 * carries every item as a JSON line of the file format, with values under credential-like keys
 * (password, token, authorization, ...) replaced by "[REDACTED]".
 */
export class DebugExporter implements ConsumingInstance {
  private readonly formatter: JsonLinesFormatter | undefined;

  constructor(private readonly ctx: ExporterContext<DebugConfig>) {
    if (ctx.config.verbosity === 'detailed') this.formatter = new JsonLinesFormatter(ctx.series, redactSecrets);
  }

  async consume(batch: Batch): Promise<void> {
    const fields: Record<string, unknown> = { signal: batch.signal, items: batchSize(batch) };
    if (this.formatter !== undefined) {
      const text = this.formatter.format(batch);
      fields.data = text.length === 0 ? [] : text.slice(0, -1).split('\n');
    }
    this.ctx.logger.info(`${fields.items} ${batch.signal}`, fields);
  }
}
