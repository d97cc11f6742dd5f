import type { Logger } from '../api/logger';
import type { ExporterHelperConfig } from '../config/types';
import type { SeriesTable } from '../model/series-table';
import { MemoryQueue, type SendingQueue } from '../runtime/batch-queue';
import type { StageStats } from '../runtime/stage-stats';
import { DiskQueue } from './disk-queue';

export interface QueueDeps {
  readonly logger: Logger;
  readonly stats: StageStats;
  readonly series: SeriesTable;
}

/**
 * The sending queue an exporter's settings ask for: in memory, or on disk. The disk queue opens
 * its directory on first use (no I/O here); corrupt records it skips are counted as drops with
 * reason `queue_corrupted` (one per record: their item count is unreadable).
 */
export function createSendingQueue(settings: ExporterHelperConfig['sending_queue'], deps: QueueDeps): SendingQueue {
  const disk = settings.disk;
  if (!disk) return new MemoryQueue(settings.queue_size, deps.series);
  return new DiskQueue({
    directory: disk.directory,
    capacity: settings.queue_size,
    sizer: disk.sizer,
    fsync: disk.fsync,
    groupCommitIntervalMs: disk.group_commit_interval_ms,
    series: deps.series,
    logger: deps.logger,
    onCorrupt: (records) => deps.stats.drop(records, 'queue_corrupted'),
    onRestored: (items) => (deps.stats.restored += items),
  });
}
