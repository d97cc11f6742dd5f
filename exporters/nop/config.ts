import type { JsonSchema } from '../../src/api';

/** The nop exporter takes no options. */
export type NopConfig = Record<string, never>;

export const configSchema: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };
