import { strict as assert } from 'node:assert';
import type { FaultBackend } from '../helpers/fault-backend';
import type { LoadReport } from '../helpers/load-generator';
import type { CollectorProcess } from './collector-process';
import type { SelfMetrics } from './self-metrics';

/**
 * The oracle of every fault scenario. Delivery: every acknowledged id reaches the backend,
 * except the ids the backend itself refused for good (duplicates allowed). Counters: the
 * receiver's accepted and refused items equal what the load generator saw answered with 2xx and
 * with a pipeline refusal; each exporter's accepted items equal sent + dropped once its queue
 * drained, and the items it dropped as rejected equal what the backend refused.
 */
export async function assertDelivered(report: LoadReport, backend: FaultBackend, timeoutMs: number): Promise<void> {
  const expected = report.acked.filter((id) => !backend.rejected.has(id));
  assert.ok(expected.length > 0, 'nothing was acknowledged: the scenario proves nothing');
  await backend.waitForIds(expected, timeoutMs);
}

export interface ExporterCounts {
  accepted: number;
  /** Found in a disk queue at start, left by an earlier run. */
  restored: number;
  sent: number;
  dropped: number;
  droppedBy: Record<string, number>;
}

export function assertReceiverReconciles(m: SelfMetrics, receiver: string, report: LoadReport): void {
  const accepted = m.sum('nissa_receiver_accepted_items_total', { receiver });
  const refused = m.sum('nissa_receiver_refused_items_total', { receiver });
  assert.equal(accepted, report.items.ok, `receiver ${receiver}: accepted items vs items answered 2xx`);
  assert.equal(refused, report.items.refused, `receiver ${receiver}: refused items vs items answered 429/5xx by the pipelines`);
}

export function exporterCounts(m: SelfMetrics, exporter: string): ExporterCounts {
  const droppedBy: Record<string, number> = {};
  for (const s of m.samples('nissa_exporter_dropped_items_total')) if (s.labels['exporter'] === exporter) droppedBy[s.labels['reason']!] = s.value;
  return {
    accepted: m.sum('nissa_exporter_accepted_items_total', { exporter }),
    restored: m.sum('nissa_exporter_restored_items_total', { exporter }),
    sent: m.sum('nissa_exporter_sent_items_total', { exporter }),
    dropped: Object.values(droppedBy).reduce((a, b) => a + b, 0),
    droppedBy,
  };
}

/** Waits until the exporter's queue drained (accepted + restored = sent + dropped), then checks it exactly. */
export async function assertExporterReconciles(collector: Pick<CollectorProcess, 'metrics'>, exporter: string, timeoutMs: number): Promise<ExporterCounts> {
  const deadline = Date.now() + timeoutMs;
  let c = exporterCounts(await collector.metrics(), exporter);
  while (c.accepted + c.restored !== c.sent + c.dropped && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    c = exporterCounts(await collector.metrics(), exporter);
  }
  assert.ok(c.accepted + c.restored > 0, `exporter ${exporter} accepted nothing`);
  assert.equal(c.sent + c.dropped, c.accepted + c.restored, `exporter ${exporter}: sent ${c.sent} + dropped ${JSON.stringify(c.droppedBy)} vs accepted ${c.accepted} + restored ${c.restored}`);
  return c;
}

/** One line per scenario with what happened, for the suite's output. */
export function summary(name: string, report: LoadReport, backend: FaultBackend, extra: object = {}): string {
  const statuses = Object.fromEntries(report.statuses);
  return `      ${name}: acked ${report.acked.length}, attempts by status ${JSON.stringify(statuses)}, stored ${backend.stored.size} (duplicates ${backend.duplicates}, out of order ${backend.outOfOrder}, rejected ${backend.rejected.size}) ${JSON.stringify(extra)}`;
}
