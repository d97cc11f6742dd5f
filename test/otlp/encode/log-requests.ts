import fc from 'fast-check';
import type { TelemetryEvent } from '../../../src/api';
import { checkProtoLogs, OtlpLogRecords } from '../../../src/otlp/proto/logs-check';
import { encodeOtlp } from '../../fixtures/otlp/otlp-proto';
import { kv, MAX_FUTURE, NOW, NS, recordsArb, str, type Obj } from '../proto/log-arbitraries';

/** Requests with several resources and scopes, and the OTLP log records a receiver makes of them. */

export interface ScopeSpec {
  readonly scope: string;
  readonly records: Obj[];
}
export interface ResourceSpec {
  readonly service: string;
  readonly scopes: ScopeSpec[];
}

/** An ExportLogsServiceRequest of the given resources (service.name, schema_url) and scopes (name, version, schema_url). */
export function logsRequest(resources: readonly ResourceSpec[]): Buffer {
  return encodeOtlp('ExportLogsServiceRequest', {
    resource_logs: resources.map((r) => ({
      resource: { attributes: [kv('service.name', str(r.service)), kv('tier', str('web'))] },
      schema_url: `https://schema/${r.service}`,
      scope_logs: r.scopes.map((s) => ({ scope: { name: s.scope, version: '1.2' }, schema_url: `https://scope/${s.scope}`, log_records: s.records })),
    })),
  });
}

/** The valid records of `body` as the receiver hands them on (refused ones are not in them). */
export function recordsOf(body: Buffer): OtlpLogRecords {
  const batch = checkProtoLogs(body, NOW, MAX_FUTURE).batch;
  return (batch.records?.[0] as OtlpLogRecords | undefined) ?? new OtlpLogRecords(body, new Int32Array(0), 0, 0);
}

/** A record that the receiver keeps: `line <i>`. */
export function line(i: number, extra: Obj = {}): Obj {
  return { time_unix_nano: NS, severity_number: 9, body: str(`line ${i}`), attributes: [kv('i', { int_value: String(i) })], ...extra };
}

/** A record refused on arrival (a timestamp beyond the allowed future). */
export function refused(i: number): Obj {
  return line(i, { time_unix_nano: `${BigInt(NOW + 2 * MAX_FUTURE) * 1_000_000n}` });
}

const scopeArb = fc.record({ scope: fc.constantFrom('app', 'db', 'http'), records: recordsArb });
/** Requests of 1-3 resources of 1-3 scopes, records from the decoder's property tests (some refused). */
export const requestArb: fc.Arbitrary<Buffer> = fc
  .array(fc.record({ service: fc.constantFrom('checkout', 'cart', 'ünï'), scopes: fc.array(scopeArb, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 })
  .map(logsRequest);

/** OTLP log records whose events must never be built: a batch of them fails the test if a stage reads `items`. */
export class UnbuildableRecords extends OtlpLogRecords {
  override build(): TelemetryEvent[] {
    throw new Error('events were built');
  }
}

export function unbuildable(r: OtlpLogRecords): UnbuildableRecords {
  return new UnbuildableRecords(r.body, r.starts, r.from, r.to);
}

/** The events `records` hold, built through plain OtlpLogRecords (so unbuildable ones can be checked too). */
export function builtEvents(records: readonly OtlpLogRecords[]): TelemetryEvent[] {
  return records.flatMap((r) => new OtlpLogRecords(r.body, r.starts, r.from, r.to).build());
}
