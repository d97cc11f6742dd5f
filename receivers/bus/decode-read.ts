import { PermanentError, type Batch, type Signal } from '../../src/api';
import { concatPayloads, payloadBytes, UndecodablePayload, type PayloadBytes } from '../../src/bus/payload';
import type { StreamEntries } from '../../src/bus/stream-reply';
import type { TopicSetting } from '../../src/bus/topics';
import type { NissaDecoder } from '../../src/nissa-codec/nissa-decoder';

/** Entries of one stream that went into a batch, by index into the stream's reply. */
export interface EntryRefs {
  readonly entries: StreamEntries;
  readonly index: number[];
}

/** One signal's decoded batch and the entries it came from (acknowledged once it is accepted). */
export interface SignalBatch {
  readonly signal: Signal;
  readonly batch: Batch;
  readonly items: number;
  readonly refs: EntryRefs[];
}

export interface Poison {
  readonly entries: StreamEntries;
  readonly index: number;
  readonly error: string;
}

export interface DecodedRead {
  readonly batches: SignalBatch[];
  readonly poison: Poison[];
  /** Entries with nothing to deliver (deleted while pending, or an empty batch): acknowledged as they are. */
  readonly empty: EntryRefs[];
  /** Invalid items inside otherwise decodable entries, by reason. */
  readonly drops: Map<string, number>;
}

interface Part {
  readonly entries: StreamEntries;
  readonly index: number;
  readonly bytes: PayloadBytes;
}

/**
 * Decodes the entries of one read. Every payload is framed first (a broken one is poison); the
 * payloads of a signal are then concatenated into one batch message and decoded in one pass.
 * Only when that pass refuses items are the entries decoded one by one, to find the poison ones
 * (nothing in them valid) and keep the rest.
 */
export function decodeRead(streams: readonly StreamEntries[], settingOf: (stream: string) => TopicSetting, decoder: NissaDecoder, nowMs: number): DecodedRead {
  const parts = new Map<Signal, Part[]>();
  const poison: Poison[] = [];
  const empty: EntryRefs[] = [];
  for (const entries of streams) {
    const setting = settingOf(entries.stream);
    const deleted: number[] = [];
    for (let i = 0; i < entries.ids.length; i++) {
      const payload = entries.payloads[i];
      if (payload === null) deleted.push(i);
      else if (payload === undefined) poison.push({ entries, index: i, error: 'entry has no payload field' });
      else {
        try {
          const bytes = payloadBytes(payload, setting);
          let list = parts.get(bytes.signal);
          if (!list) parts.set(bytes.signal, (list = []));
          list.push({ entries, index: i, bytes });
        } catch (err) {
          if (!(err instanceof UndecodablePayload)) throw err;
          poison.push({ entries, index: i, error: err.message });
        }
      }
    }
    if (deleted.length > 0) empty.push({ entries, index: deleted });
  }
  const drops = new Map<string, number>();
  const batches: SignalBatch[] = [];
  for (const [signal, list] of parts) {
    const decoded = decodeSignal(signal, list, decoder, nowMs, poison, drops);
    if (decoded.items > 0) batches.push({ signal, batch: decoded.batch, items: decoded.items, refs: refsOf(decoded.parts) });
    else if (decoded.parts.length > 0) empty.push(...refsOf(decoded.parts));
  }
  return { batches, poison, empty, drops };
}

function decodeSignal(signal: Signal, list: Part[], decoder: NissaDecoder, nowMs: number, poison: Poison[], drops: Map<string, number>): { batch: Batch; items: number; parts: Part[] } {
  let kept = list;
  let result = tryDecode(decoder, signal, concat(list), nowMs);
  if (result === undefined || result.rejected > 0) {
    kept = [];
    for (const part of list) {
      const one = tryDecode(decoder, signal, concat([part]), nowMs);
      if (one === undefined || (one.accepted === 0 && one.rejected > 0)) {
        poison.push({ entries: part.entries, index: part.index, error: one?.firstError ?? 'malformed message' });
      } else kept.push(part);
    }
    result = tryDecode(decoder, signal, concat(kept), nowMs)!;
  }
  for (const [reason, n] of result.reasons) drops.set(reason, (drops.get(reason) ?? 0) + n);
  return { batch: result.batch, items: result.accepted, parts: kept };
}

function tryDecode(decoder: NissaDecoder, signal: Signal, bytes: Buffer, nowMs: number): ReturnType<NissaDecoder['decode']> | undefined {
  try {
    return decoder.decode(signal, bytes, nowMs);
  } catch (err) {
    if (err instanceof PermanentError) return undefined; // malformed: the caller isolates the entry
    throw err;
  }
}

function concat(list: readonly Part[]): Buffer {
  return concatPayloads(list.map((p) => p.bytes));
}

function refsOf(parts: readonly Part[]): EntryRefs[] {
  const out: EntryRefs[] = [];
  let last: EntryRefs | undefined;
  for (const p of parts) {
    if (last?.entries !== p.entries) out.push((last = { entries: p.entries, index: [] }));
    last.index.push(p.index);
  }
  return out;
}
