/** Attribute values as OTLP's AnyValue maps into JavaScript. 64-bit integers that exceed 2^53 are bigint. */
export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = { readonly [key: string]: AttributeValue };
