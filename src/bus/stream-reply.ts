/**
 * The entries of one stream in a reply: ids and the payload field of each; `undefined` when the
 * entry has no such field, `null` when the entry was deleted from the stream while pending.
 */
export interface StreamEntries {
  readonly stream: string;
  readonly ids: Buffer[];
  readonly payloads: (Buffer | null | undefined)[];
}

type RawEntry = [Buffer, Buffer[] | null];

/**
 * Reads a buffer-mode `XREADGROUP` reply (`[[stream, [[id, [field, value...]]...]]...]` or null).
 * Entries whose fields are null (deleted from the stream while pending) come with a null payload.
 */
export function parseReadReply(reply: unknown, payloadField: Buffer): StreamEntries[] {
  if (!Array.isArray(reply)) return [];
  const out: StreamEntries[] = [];
  for (const [stream, entries] of reply as [Buffer, RawEntry[]][]) {
    if (entries.length > 0) out.push(parseEntries(stream.toString(), entries, payloadField));
  }
  return out;
}

/** Reads a buffer-mode `XAUTOCLAIM` reply: the next start id and the claimed entries. */
export function parseClaimReply(stream: string, reply: unknown, payloadField: Buffer): { next: string; entries: StreamEntries } {
  const [next, entries] = reply as [Buffer, RawEntry[]];
  return { next: next.toString(), entries: parseEntries(stream, entries.filter((e) => e !== null), payloadField) };
}

function parseEntries(stream: string, entries: RawEntry[], payloadField: Buffer): StreamEntries {
  const n = entries.length;
  const ids = new Array<Buffer>(n);
  const payloads = new Array<Buffer | null | undefined>(n);
  for (let i = 0; i < n; i++) {
    const [id, fields] = entries[i]!;
    ids[i] = id;
    payloads[i] = fields ? fieldValue(fields, payloadField) : null;
  }
  return { stream, ids, payloads };
}

function fieldValue(fields: Buffer[], name: Buffer): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.equals(name)) return fields[i + 1];
  return undefined;
}
