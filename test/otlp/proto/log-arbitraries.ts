import fc from 'fast-check';
import { encodeOtlp } from '../../fixtures/otlp/otlp-proto';

/** Log requests for the property tests of the OTLP logs decoder and checker. */
export const NOW = Date.UTC(2026, 0, 1);
export const MAX_FUTURE = 3_600_000;
export const NS = `${BigInt(NOW - 1000) * 1_000_000n + 123_456n}`;

export type Obj = Record<string, unknown>;
export const str = (s: string): Obj => ({ string_value: s });
export const kv = (key: string, value?: Obj): Obj => (value === undefined ? { key } : { key, value });

export function request(records: Obj[], resource: Obj[] = [kv('service.name', str('checkout'))]): Buffer {
  return encodeOtlp('ExportLogsServiceRequest', { resource_logs: [{ resource: { attributes: resource }, scope_logs: [{ scope: { name: 'app' }, log_records: records }] }] });
}

export const keyArb = fc.constantFrom('service', 'host', 'topic', 'request_id', 'epoch', 'event.name', 'event_type', '__proto__', '0', '7', 'k', 'clé', '');
export const leafArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.constantFrom('checkout', 'host-1', 'host-2', 'http', '', 'x'.repeat(40), 'ünïcødé').map(str),
  fc.string({ unit: 'binary', maxLength: 50 }).map(str),
  fc.boolean().map((b) => ({ bool_value: b })),
  fc.oneof(fc.integer({ min: -200, max: 200 }), fc.constantFrom(2 ** 40, -(2 ** 53) - 2)).map((n) => ({ int_value: String(n) })),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '9007199254740993').map((n) => ({ int_value: n })),
  fc.double().map((d) => ({ double_value: d })),
  fc.uint8Array({ maxLength: 6 }).map((b) => ({ bytes_value: Buffer.from(b) })),
  fc.constant({}),
);
const valueArb: fc.Arbitrary<Obj> = fc.oneof(
  { weight: 6, arbitrary: leafArb },
  { weight: 1, arbitrary: fc.array(leafArb, { maxLength: 3 }).map((values) => ({ array_value: { values } })) },
  { weight: 1, arbitrary: fc.array(fc.tuple(keyArb, leafArb), { maxLength: 3 }).map((kvs) => ({ kvlist_value: { values: kvs.map(([k, v]) => kv(k, v)) } })) },
);
const bodyArb: fc.Arbitrary<Obj | undefined> = fc.oneof(
  fc.constant(undefined),
  valueArb,
  fc.constantFrom(32, 33, 100, 127, 128, 200, 16_383, 16_384, 20_000).map((n) => str('b'.repeat(n))),
  fc.tuple(fc.string({ unit: 'binary', minLength: 30, maxLength: 300 }), fc.nat(40)).map(([s, pad]) => str(' '.repeat(pad) + s)),
);
const idArb = (len: number): fc.Arbitrary<Buffer | undefined> => fc.oneof(fc.constant(undefined), fc.uint8Array({ minLength: len, maxLength: len }).map((b) => Buffer.from(b)), fc.constant(Buffer.alloc(len, 7)), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)));
const recordArb: fc.Arbitrary<Obj> = fc.record(
  {
    time_unix_nano: fc.constantFrom(NS, NS, NS, '0', `${BigInt(NOW + 7_200_000) * 1_000_000n}`),
    observed_time_unix_nano: fc.constantFrom(NS, '0'),
    severity_number: fc.constantFrom(0, 9, 17, 24, -1),
    severity_text: fc.constantFrom('', 'INFO', 'WARN'),
    body: bodyArb,
    attributes: fc.array(fc.tuple(keyArb, fc.option(valueArb, { nil: undefined })).map(([k, v]) => kv(k, v)), { maxLength: 7 }),
    trace_id: idArb(16),
    span_id: idArb(8),
    event_name: fc.constantFrom('', 'order.created'),
  },
  { requiredKeys: [] },
);
/** Records picked from a few templates, so shapes, keys and whole attributes repeat as in real traffic. */
export const recordsArb = fc.tuple(fc.array(recordArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 60 })).map(([templates, picks]) => picks.map((i) => templates[i % templates.length]!));

