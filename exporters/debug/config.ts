import type { JsonSchema } from '../../src/api';

export interface DebugConfig {
  readonly verbosity: 'basic' | 'detailed';
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    verbosity: {
      type: 'string',
      enum: ['basic', 'detailed'],
      default: 'basic',
      description: 'basic: one count line per batch; detailed: also every item, as JSON in the file format.',
    },
  },
};
