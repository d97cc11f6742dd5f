import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `<hostname>-<pid>-<random>`: unique per instance, readable in XINFO CONSUMERS. */
export function defaultConsumerName(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
