import type { Batch } from './batch';
import type { SeriesTable } from './series-table';

/**
 * Pins the series of a metric batch that a stage holds across time (a buffer, a queue), so that
 * the table's sweep does not free their ids meanwhile: a freed id is reused for another series,
 * and the held points would then be delivered under it. One pin per row; {@link unpinSeries}
 * with the same rows (in any split or merge) gives them back.
 */
export function pinSeries(table: SeriesTable, batch: Batch): void {
  if (batch.signal !== 'metrics') return;
  // The column read once: batches come in several shapes, and a property read per row is a
  // polymorphic lookup each time.
  const series = batch.series;
  for (let i = 0, n = batch.length; i < n; i++) table.retain(series[i]!);
}

export function unpinSeries(table: SeriesTable, batch: Batch): void {
  if (batch.signal !== 'metrics') return;
  const series = batch.series;
  for (let i = 0, n = batch.length; i < n; i++) table.release(series[i]!);
}
