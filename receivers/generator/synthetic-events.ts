import { randomBytes } from 'node:crypto';
import { severityTextOf, type TelemetryEvent } from '../../src/api';
import { syntheticLabels } from './synthetic-labels';

export const GENERATOR_TOPIC = 'telemetry.seed.health';
const EVENT_TYPES = ['health_check', 'heartbeat', 'latency_probe'];
const SOURCES = 100;

/** Makes synthetic health events with unique request ids and a per-minute epoch. */
export class SyntheticEvents {
  /** Distinguishes runs, so request ids stay unique across restarts. */
  private readonly runId = randomBytes(4).toString('hex');
  private seq = 0;

  next(nowMs: number): TelemetryEvent {
    const seq = this.seq++;
    const labels = syntheticLabels(seq % SOURCES);
    const severityNumber = seq % 20 === 19 ? 17 : seq % 5 === 4 ? 13 : 9;
    const latencyMs = 5 + (seq % 50) * 2;
    return {
      epoch: Math.floor(nowMs / 60_000),
      requestId: `${this.runId}-${seq}`,
      topic: GENERATOR_TOPIC,
      eventType: EVENT_TYPES[seq % EVENT_TYPES.length]!,
      severityNumber,
      severityText: severityTextOf(severityNumber),
      timestampMs: nowMs,
      attributes: { ...labels, latency_ms: latencyMs },
      body: `${labels.service} on ${labels.host}: status ${labels.status} in ${latencyMs} ms`,
      resource: { 'service.name': labels.service! },
    };
  }
}
