import type { MetricBatchBuilder } from '../model/metric-batch';
import type { ResourceContext } from './series-contexts';
import type { SeriesResolver } from './series-resolver';

/**
 * The `target_info` rows of one request: one per distinct resource that had at least one accepted
 * point, value 1, stamped with that resource's newest point time. They are appended after the
 * request's points, so a resource split over several `ResourceMetrics` still gets one row.
 */
export class TargetInfoRows {
  private readonly newest = new Map<ResourceContext, number>();

  /** Records that `resource` had accepted points up to `timeMs` (ignored when it has no target_info). */
  note(resource: ResourceContext, timeMs: number): void {
    if (resource.targetLabels === undefined || timeMs <= 0) return;
    const seen = this.newest.get(resource);
    if (seen === undefined || timeMs > seen) this.newest.set(resource, timeMs);
  }

  /** Appends the rows noted since the last call to `into`, and forgets them. */
  flush(into: MetricBatchBuilder, resolver: SeriesResolver): void {
    for (const [resource, timeMs] of this.newest) {
      const id = resolver.targetInfo(resource);
      if (id >= 0) into.push(id, timeMs, 1);
    }
    this.newest.clear();
  }

  clear(): void {
    this.newest.clear();
  }
}
