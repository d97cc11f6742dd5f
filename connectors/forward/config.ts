import type { JsonSchema } from '../../src/api';

/** The forward connector takes no options. */
export type ForwardConfig = Record<string, never>;

export const configSchema: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };
