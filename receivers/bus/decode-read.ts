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

interface Part {
  readonly entries: StreamEntries;
  readonly index: number;
  readonly bytes: PayloadBytes;
}

/** Payloads of one signal, decoded together into one batch when their turn comes. */
export interface Chunk {
  readonly signal: Signal;
  readonly parts: readonly Part[];
}

/** A read, framed but not decoded yet. */
export interface PlannedRead {
  readonly chunks: Chunk[];
  /** Entries whose payload cannot be framed at all. */
  readonly poison: Poison[];
  /** Entries with nothing to deliver (deleted while pending): acknowledged as they are. */
  readonly empty: EntryRefs[];
}

export interface DecodedChunk {
  /** Undefined when no item of the chunk is valid. */
  readonly batch: SignalBatch | undefined;
  readonly poison: Poison[];
  /** Entries that decoded to nothing (an empty batch, or only invalid items with valid ones elsewhere). */
  readonly empty: EntryRefs[];
  /** Invalid items inside otherwise decodable entries, by reason. */
  readonly drops: Map<string, number>;
}

/**
 * Payload bytes per chunk. A read of 2000 entries per stream can carry 100,000 events or more;
 * decoded at once they would outgrow the young generation, be copied and promoted to the old one,
 * and cost more in garbage collection than in decoding. A chunk's events are delivered, and die,
 * before the next chunk is decoded.
 */
export const CHUNK_BYTES = 128 * 1024;

/**
 * Frames every payload of a read (a broken one is poison) and groups them by signal into chunks
 * of about {@link CHUNK_BYTES}, in stream order.
 */
export function planRead(streams: readonly StreamEntries[], settingOf: (stream: string) => TopicSetting, chunkBytes = CHUNK_BYTES): PlannedRead {
  const open = new Map<Signal, { parts: Part[]; bytes: number }>();
  const chunks: Chunk[] = [];
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
        let bytes: PayloadBytes;
        try {
          bytes = payloadBytes(payload, setting);
        } catch (err) {
          if (!(err instanceof UndecodablePayload)) throw err;
          poison.push({ entries, index: i, error: err.message });
          continue;
        }
        let chunk = open.get(bytes.signal);
        if (!chunk) open.set(bytes.signal, (chunk = { parts: [], bytes: 0 }));
        chunk.parts.push({ entries, index: i, bytes });
        chunk.bytes += bytes.body.length;
        if (chunk.bytes >= chunkBytes) {
          chunks.push({ signal: bytes.signal, parts: chunk.parts });
          open.delete(bytes.signal);
        }
      }
    }
    if (deleted.length > 0) empty.push({ entries, index: deleted });
  }
  for (const [signal, chunk] of open) chunks.push({ signal, parts: chunk.parts });
  return { chunks, poison, empty };
}

/**
 * Decodes a chunk's payloads, concatenated into one batch message, in one pass. Only when that
 * pass refuses items are the entries decoded one by one, to find the poison ones (nothing in them
 * valid) and keep the rest.
 */
export function decodeChunk(chunk: Chunk, decoder: NissaDecoder, nowMs: number): DecodedChunk {
  const { signal } = chunk;
  const poison: Poison[] = [];
  let kept = chunk.parts;
  let result = tryDecode(decoder, signal, concat(kept), nowMs);
  if (result === undefined || result.rejected > 0) {
    const good: Part[] = [];
    for (const part of chunk.parts) {
      const one = tryDecode(decoder, signal, concat([part]), nowMs);
      if (one === undefined || (one.accepted === 0 && one.rejected > 0)) {
        poison.push({ entries: part.entries, index: part.index, error: one?.firstError ?? 'malformed message' });
      } else good.push(part);
    }
    kept = good;
    result = tryDecode(decoder, signal, concat(kept), nowMs)!;
  }
  const drops = result.reasons;
  if (result.accepted === 0) return { batch: undefined, poison, empty: refsOf(kept), drops };
  return { batch: { signal, batch: result.batch, items: result.accepted, refs: refsOf(kept) }, poison, empty: [], drops };
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

/** The entries of `parts`, grouped by stream. */
export function refsOf(parts: readonly Part[]): EntryRefs[] {
  const out: EntryRefs[] = [];
  let last: EntryRefs | undefined;
  for (const p of parts) {
    if (last?.entries !== p.entries) out.push((last = { entries: p.entries, index: [] }));
    last.index.push(p.index);
  }
  return out;
}
