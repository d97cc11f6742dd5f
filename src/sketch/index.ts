/** Mergeable summaries for downsampling: a pooled DDSketch and Welford/Chan moments. */
export * from './log-mapping';
export * from './sketch-pool';
export * from './moments';
