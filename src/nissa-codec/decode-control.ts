import type { Reader } from './wire';
import { controlBatch, type ControlBatch, type ControlCommand } from '../model/control';
import { decodeItems } from './decode-items';
import type { DecodeLimits } from './limits';
import { type DecodeResult } from './rejections';
import { readMapEntry, readString, type StringMapLimits } from './strings';
import { checkCommandName, checkTimestamp, required } from './validate';
import { expectWire, skipField, varint32, varint64, WIRE_LEN, WIRE_VARINT } from './wire';

/** Decodes and validates a `ControlBatch`; invalid commands are counted and skipped. */
export function decodeControl(bytes: Uint8Array, limits: DecodeLimits, nowMs: number): DecodeResult<ControlBatch> {
  const argLimits: StringMapLimits = {
    field: 'args', maxEntries: limits.maxLabels, maxKeyBytes: limits.maxNameLength, maxValueBytes: limits.maxStringLength,
    checkKey: (key) => required(key, 'args key'),
  };
  const { items, rej } = decodeItems(bytes, 'commands', (r, end) => readCommand(r, end, limits, nowMs, argLimits));
  return rej.result(controlBatch(items), items.length);
}

function readCommand(r: Reader, end: number, limits: DecodeLimits, nowMs: number, argLimits: StringMapLimits): ControlCommand {
  let command = '';
  let target = '';
  const args: Record<string, string> = {};
  let nArgs = 0;
  let issuedAt = 0;
  let requestId = '';
  let epoch = 0;
  while (r.pos < end) {
    const tag = varint32(r, end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(wt, WIRE_LEN, 'command'); command = readString(r, end, limits.maxNameLength, 'command'); break;
      case 2: expectWire(wt, WIRE_LEN, 'target'); target = readString(r, end, limits.maxNameLength, 'target'); break;
      case 3: readMapEntry(r, wt, end, args, nArgs++, argLimits); break;
      case 4: expectWire(wt, WIRE_VARINT, 'issued_at_ms'); issuedAt = varint64(r, end); break;
      case 5: expectWire(wt, WIRE_LEN, 'request_id'); requestId = readString(r, end, limits.maxNameLength, 'request_id'); break;
      case 6: expectWire(wt, WIRE_VARINT, 'epoch'); epoch = varint64(r, end); break;
      default: skipField(r, wt, end);
    }
  }
  required(command, 'command');
  checkCommandName(command);
  checkTimestamp(issuedAt, nowMs, limits, 'issued_at_ms');
  const cmd: { -readonly [K in keyof ControlCommand]: ControlCommand[K] } = { command, target, args, issuedAtMs: issuedAt };
  if (requestId !== '') cmd.requestId = requestId;
  if (epoch !== 0) cmd.epoch = epoch;
  return cmd;
}
