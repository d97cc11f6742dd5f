import type { Batch, SeriesTable } from '../api';
import { formatAlerts } from './alert-lines';
import { formatControl } from './control-lines';
import { formatEvents } from './event-lines';
import { MetricLineFormatter } from './metric-lines';
import type { Redactor } from './redaction';

/**
 * Any batch as JSON lines in the stable file format (docs/file-format.md): one item per line,
 * each line ending with `\n` and carrying `"signal"`. Keep one instance per exporter so the
 * per-series cache of metric lines is reused across batches.
 */
export class JsonLinesFormatter {
  private readonly metrics: MetricLineFormatter;

  constructor(
    series: SeriesTable,
    private readonly redact?: Redactor,
  ) {
    this.metrics = new MetricLineFormatter(series, redact);
  }

  format(batch: Batch): string {
    switch (batch.signal) {
      case 'metrics':
        return this.metrics.format(batch);
      case 'events':
        return formatEvents(batch, this.redact);
      case 'alerts':
        return formatAlerts(batch, this.redact);
      case 'control':
        return formatControl(batch, this.redact);
    }
  }
}
