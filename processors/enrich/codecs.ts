import type { AttributeValue } from '../../src/api';
import type { ValueCodec } from './actions';

/** Metric labels and alert labels are strings. */
export const labelCodec: ValueCodec<string> = {
  fromText: (t) => String(t),
  toText: (v) => v,
};

/** Event attributes keep literal types (a number stays a number); captures read primitives as text. */
export const attributeCodec: ValueCodec<AttributeValue> = {
  fromText: (t) => t,
  toText: (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined),
};
