/**
 * Shared output for `npm run bench`: every benchmark prints throughput, memory, and the ratio to a
 * baseline measured in the same run, so figures from different machines stay comparable.
 */
export interface BenchLine {
  /** What was measured, e.g. `otlp decode (streaming)`. */
  readonly name: string;
  /** Items per second. */
  readonly rate: number;
  /** Unit of an item: `datapoints`, `events`, `samples`... */
  readonly unit: string;
  /** The baseline measured in the same run, with its own name. */
  readonly baseline?: { readonly name: string; readonly rate: number };
  /** Heap bytes per item (or per series: say which in `memoryUnit`). */
  readonly heapBytesPer?: number;
  readonly memoryUnit?: string;
  /** The target from the issue, in the same unit, when there is one. */
  readonly target?: number;
  /** Anything else worth printing (compression ratio, CPU seconds...). */
  readonly extra?: Readonly<Record<string, string | number>>;
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(n < 10 ? 3 : 1);
}

export const results: BenchLine[] = [];

export function report(line: BenchLine): void {
  results.push(line);
  const parts = [`${line.name}: ${fmt(line.rate)} ${line.unit}/s`];
  if (line.baseline) parts.push(`baseline ${line.baseline.name} ${fmt(line.baseline.rate)}/s, ratio ${(line.rate / line.baseline.rate).toFixed(3)}`);
  if (line.heapBytesPer !== undefined) parts.push(`heap ${line.heapBytesPer.toFixed(1)} B/${line.memoryUnit ?? 'item'}`);
  if (line.target !== undefined) parts.push(`target ${fmt(line.target)}/s ${line.rate >= line.target ? 'MET' : 'NOT MET'}`);
  for (const [k, v] of Object.entries(line.extra ?? {})) parts.push(`${k} ${typeof v === 'number' ? fmt(v) : v}`);
  console.log(`  ${parts.join(' | ')}`);
}

/** Runs `fn(iterations)` until at least `minMs` elapsed; returns items per second. */
export function measure(itemsPerCall: number, fn: () => void, minMs = 1500): number {
  for (let i = 0; i < 3; i++) fn(); // warm up the JIT
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    fn();
    calls++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (calls * itemsPerCall) / (elapsedMs / 1000);
}

/** The async variant of {@link measure}. */
export async function measureAsync(itemsPerCall: number, fn: () => Promise<void>, minMs = 1500): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    await fn();
    calls++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (calls * itemsPerCall) / (elapsedMs / 1000);
}

/** Heap used after a full collection (needs `--expose-gc`). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}
