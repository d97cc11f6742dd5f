import type { TelemetryEvent } from '../../model/events';
import { writeAnyValueFields, writeKeyValue, writeKeyValues } from './any-value-writer';
import { forOtherAttributes, groupByResource, identityAttributes } from './event-identity';
import { writeScope } from './metrics-proto';
import { ProtoWriter } from '../../wire/proto-writer';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** A hex trace or span id as bytes; anything that is not even-length hex is left out. */
function idField(w: ProtoWriter, tag: number, hex: string | undefined): void {
  if (hex === undefined || !HEX.test(hex)) return;
  w.bytesField(tag, Buffer.from(hex, 'hex'));
}

/**
 * Hand-written `ExportLogsServiceRequest`: one ResourceLogs per distinct event resource, one log
 * record per event with body, severity, time, trace context, `event_name` (the event type), the
 * event's attributes, and its identity as attributes (see {@link identityAttributes}).
 * The returned bytes are a view into the encoder's buffer, valid until the next `encode`.
 */
export class LogsProtoEncoder {
  private readonly w = new ProtoWriter();

  encode(events: readonly TelemetryEvent[]): Uint8Array {
    const w = this.w;
    w.reset();
    for (const group of groupByResource(events)) {
      const rl = w.begin(0x0a);
      const res = w.begin(0x0a);
      if (group.resource !== undefined) writeKeyValues(w, 0x0a, group.resource);
      w.end(res);
      const sl = w.begin(0x12);
      writeScope(w);
      for (const e of group.events) this.record(e);
      w.end(sl);
      w.end(rl);
    }
    return w.written();
  }

  private record(e: TelemetryEvent): void {
    const w = this.w;
    const at = w.begin(0x12);
    w.uint32(0x09);
    w.nanos(e.timestampMs);
    if (e.severityNumber !== 0) {
      w.uint32(0x10);
      w.int64(e.severityNumber);
    }
    if (e.severityText !== '') w.stringField(0x1a, e.severityText);
    if (e.body !== null && e.body !== undefined) {
      const body = w.begin(0x2a);
      writeAnyValueFields(w, e.body, 1);
      w.end(body);
    }
    forOtherAttributes(e.attributes, (key, value) => writeKeyValue(w, 0x32, key, value));
    for (const [key, value] of identityAttributes(e)) writeKeyValue(w, 0x32, key, value);
    idField(w, 0x4a, e.traceId);
    idField(w, 0x52, e.spanId);
    if (e.eventType !== '') w.stringField(0x62, e.eventType);
    w.end(at);
  }
}
