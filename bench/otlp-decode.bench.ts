import { checkProtoLogs } from '../src/otlp/proto/logs-check';
import { decodeProtoLogs } from '../src/otlp/proto/logs-decoder';
import { ProtoMetricsDecoder } from '../src/otlp/proto/metrics-decoder';
import { DEFAULT_RESOURCE_TO_LABELS, ResourcePolicy } from '../src/otlp/resource-policy';
import { SeriesResolver } from '../src/otlp/series-resolver';
import { batchSize } from '../src/model/batch';
import { SeriesTable } from '../src/model/series-table';
import { otlpType } from '../test/fixtures/otlp/otlp-proto';
import { standardLogsRequest, standardMetricsRequest } from '../test/fixtures/otlp/standard-payloads';
import { heapUsed, report } from './report';

export const title = 'OTLP decode (protobuf): streaming decoder vs protobufjs reflection, standard payloads';

interface Rates {
  /** Items per second of process CPU time. */
  readonly cpu: number;
  /** Items per second of wall time. */
  readonly wall: number;
}

/**
 * The targets are "on one core": rates are per second of process CPU time, so that neighbours on
 * a shared machine (which stretch wall time) do not decide the figure. Wall rates are printed too.
 */
function measureRates(itemsPerCall: number, fn: () => void, minMs = 2000): Rates {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT past its tiers
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let calls = 0;
  let wallMs = 0;
  while (wallMs < minMs) {
    fn();
    calls++;
    wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const used = process.cpuUsage(cpu0);
  const items = calls * itemsPerCall;
  return { cpu: items / ((used.user + used.system) / 1e6), wall: items / (wallMs / 1000) };
}

/**
 * CPU rates of `fns`, measured in alternating slices of `sliceMs` over `totalMs`. Measured one
 * after the other, the two rates of a ratio saw different neighbours on a shared machine: that,
 * not the decoder, made the ratio swing between runs. Interleaved, both see the same conditions.
 * (A forced GC before each slice was tried: it shrinks the young generation, and reflection's
 * allocation-heavy decode then ran ten times slower.)
 */
function interleavedRates(itemsPerCall: number, fns: readonly (() => void)[], totalMs = 4000, sliceMs = 100): Rates[] {
  for (const fn of fns) for (let i = 0; i < 200; i++) fn(); // warm up the JIT past its tiers
  const cpuUs = fns.map(() => 0);
  const wallMs = fns.map(() => 0);
  const calls = fns.map(() => 0);
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e6 < totalMs) {
    fns.forEach((fn, k) => {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      let ms = 0;
      while (ms < sliceMs) {
        fn();
        calls[k]!++;
        ms = Number(process.hrtime.bigint() - t0) / 1e6;
      }
      const used = process.cpuUsage(cpu0);
      cpuUs[k]! += used.user + used.system;
      wallMs[k]! += ms;
    });
  }
  return fns.map((_, k) => ({ cpu: (calls[k]! * itemsPerCall) / (cpuUs[k]! / 1e6), wall: (calls[k]! * itemsPerCall) / (wallMs[k]! / 1000) }));
}

export async function run(): Promise<void> {
  const now = Date.now();
  const metricsBody = standardMetricsRequest(now);
  const logsBody = standardLogsRequest(now);
  const decoder = new ProtoMetricsDecoder(new SeriesResolver(new SeriesTable(), new ResourcePolicy(DEFAULT_RESOURCE_TO_LABELS)), 3_600_000);
  // 1000 points and the resource's target_info (it has host.name beyond job/instance).
  if (decoder.decode(metricsBody, now).batch.length !== 1001) throw new Error('bench payload did not decode to 1000 points and target_info');
  if (decodeProtoLogs(logsBody, now, 3_600_000).events.length !== 1000) throw new Error('bench payload did not decode to 1000 records');

  const metricsType = otlpType('ExportMetricsServiceRequest');
  const logsType = otlpType('ExportLogsServiceRequest');

  const [reflection, streaming] = interleavedRates(1000, [() => void metricsType.decode(metricsBody), () => void decoder.decode(metricsBody, now)]) as [Rates, Rates];
  // The batch columns are typed arrays: their bytes live outside the JS heap, so count both.
  const before = memoryNow();
  const kept: unknown[] = [];
  for (let i = 0; i < 100; i++) kept.push(decoder.decode(metricsBody, now).batch);
  const bytesPerPoint = (memoryNow() - before) / (100 * 1000);
  kept.length = 0;
  const cold = measureRates(1000, () => {
    const fresh = new ProtoMetricsDecoder(new SeriesResolver(new SeriesTable(), new ResourcePolicy(DEFAULT_RESOURCE_TO_LABELS)), 3_600_000);
    fresh.decode(metricsBody, now);
  }, 1000);
  report({
    name: 'otlp metrics decode (streaming, series cached), per CPU second',
    rate: streaming.cpu,
    unit: 'datapoints',
    baseline: { name: 'protobufjs reflection Type.decode', rate: reflection.cpu },
    heapBytesPer: bytesPerPoint,
    memoryUnit: 'datapoint (retained batch, heap + array buffers)',
    target: 2_500_000,
    extra: { 'ratio target 8x': streaming.cpu / reflection.cpu >= 8 ? 'MET' : 'NOT MET', 'wall rate': streaming.wall, 'reflection wall': reflection.wall, 'all series new (cpu)': cold.cpu, 'request bytes': metricsBody.length },
  });

  // The receiver's path: records validated, kept as bytes (events are built by the first stage
  // that reads them, never by a pass-through pipeline). Interleaved with reflection, as above.
  const check = (b: Buffer): number => batchSize(checkProtoLogs(b, now, 3_600_000).batch);
  if (check(logsBody) !== 1000) throw new Error('bench payload did not check to 1000 records');
  const [logsReflection, logs] = interleavedRates(1000, [() => void logsType.decode(logsBody), () => void check(logsBody)]) as [Rates, Rates];
  // Events built as objects: validation then build, as a pipeline that reads every event pays.
  const built = measureRates(1000, () => void checkProtoLogs(logsBody, now, 3_600_000).batch.items, 1000);
  const eager = measureRates(1000, () => void decodeProtoLogs(logsBody, now, 3_600_000), 1000);
  // The standard payload carries the same request ids on every call; real traffic does not. 16
  // variants with ids of their own show a request's bytes seen for the first time.
  const logsVariants = Array.from({ length: 16 }, (_, k) => withRequestIdPrefix(logsBody, k));
  let variant = 0;
  const freshIds = measureRates(1000, () => void check(logsVariants[variant++ & 15]!), 1000);
  // What a request's records cost while a pipeline holds them: the request bytes, shared.
  const logsBefore = memoryNow();
  const keptBatches: unknown[] = [];
  for (let i = 0; i < 20; i++) keptBatches.push(checkProtoLogs(Buffer.from(logsBody), now, 3_600_000).batch);
  const bytesPerRecord = (memoryNow() - logsBefore) / (20 * 1000);
  keptBatches.length = 0;
  report({
    name: 'otlp logs decode (validated records, events built on first read), per CPU second',
    rate: logs.cpu,
    unit: 'log records',
    baseline: { name: 'protobufjs reflection Type.decode', rate: logsReflection.cpu },
    heapBytesPer: bytesPerRecord,
    memoryUnit: 'record (retained batch, heap + request bytes)',
    target: 1_000_000,
    extra: {
      'ratio target 8x': logs.cpu / logsReflection.cpu >= 8 ? 'MET' : 'NOT MET',
      'wall rate': logs.wall,
      'reflection wall': logsReflection.wall,
      'validated + events built (cpu)': built.cpu,
      'eager decode to events (cpu)': eager.cpu,
      'unseen request bytes (cpu)': freshIds.cpu,
      'request bytes': logsBody.length,
    },
  });
}

/** Heap plus array buffers (request bodies and typed arrays live outside the JS heap). */
function memoryNow(): number {
  return heapUsed() + process.memoryUsage().arrayBuffers;
}

/** A copy of the standard logs payload whose request ids (`req-N`) start with another letter. */
function withRequestIdPrefix(body: Buffer, k: number): Buffer {
  const copy = Buffer.from(body);
  for (let at = copy.indexOf('req-'); at >= 0; at = copy.indexOf('req-', at + 4)) copy[at] = 0x41 + k;
  return copy;
}
