import { defineProcessor } from '../../src/api';
import type { DownsampleConfig } from './config';
import { configSchema } from './config';
import { DownsampleProcessor } from './processor';
import { resolveTiers } from './tier-spec';

/**
 * `downsample`: rolls raw points up into aggregate tiers (1m → 5m → 1h → 1d by default) whose
 * percentiles and stddev come from mergeable state, so every tier is exact (percentiles within
 * 1%) as if computed from the raw points. See docs/downsampling.md.
 */
export const plugin = defineProcessor<DownsampleConfig>({
  type: 'downsample',
  description: 'Aggregates raw points into time tiers (mean/min/max/percentiles/stddev, counter increase/rate) with mergeable state and checkpoints.',
  signals: ['metrics'],
  configSchema,
  create(ctx) {
    resolveTiers(ctx.config.tiers); // fail fast on an inconsistent cascade
    return new DownsampleProcessor(ctx);
  },
});
