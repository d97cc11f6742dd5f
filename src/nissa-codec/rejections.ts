import { PermanentError } from '../api/errors';
import { CollectionTooLarge, WireError } from './wire';

/** Why one item (point, event, alert, command) was refused; `reason` is the drop reason (`invalid_*`). */
export class ItemInvalid extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'ItemInvalid';
  }
}

/** The request as a whole cannot be read (its framing is broken): nothing in it is kept. */
export class MalformedMessage extends PermanentError {
  constructor(message: string) {
    super(`malformed message: ${message}`);
  }
}

/** What a decode returns: the valid items, and counts of the refused ones by reason. */
export interface DecodeResult<B> {
  readonly batch: B;
  readonly accepted: number;
  readonly rejected: number;
  readonly reasons: Map<string, number>;
  readonly firstError?: string;
}

/** Counts refused items while a request is decoded. */
export class Rejections {
  rejected = 0;
  readonly reasons = new Map<string, number>();
  firstError: string | undefined;

  /** Records the failure of item `index`; unknown errors (bugs) are rethrown. */
  add(err: unknown, index: number): void {
    let reason: string;
    let message: string;
    if (err instanceof ItemInvalid) [reason, message] = [err.reason, err.message];
    else if (err instanceof WireError) [reason, message] = ['invalid_malformed', err.message];
    else if (err instanceof CollectionTooLarge) [reason, message] = ['invalid_too_many_elements', err.message];
    else throw err;
    this.rejected++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    this.firstError ??= `item ${index}: ${message}`;
  }

  result<B>(batch: B, accepted: number): DecodeResult<B> {
    const base = { batch, accepted, rejected: this.rejected, reasons: this.reasons };
    return this.firstError === undefined ? base : { ...base, firstError: this.firstError };
  }
}

/** Runs a request-level decode, turning broken framing into a {@link MalformedMessage} (HTTP 400). */
export function framing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WireError || err instanceof CollectionTooLarge) throw new MalformedMessage(err.message);
    throw err;
  }
}
