import { durationSchema, type JsonSchema } from '../../src/api';

export interface FileConfig {
  readonly path: string;
  readonly rotation: {
    readonly max_megabytes: number;
    readonly max_backups: number;
  };
  readonly flush_interval: string | number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'File to append JSON lines to (created with its directory when missing).' },
    rotation: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Size-based rotation: the file is renamed to <path>.1 (older ones shift to .2, .3...) when the next write would pass the limit.',
      properties: {
        max_megabytes: { type: 'number', exclusiveMinimum: 0, default: 100, description: 'Size limit of the file in MiB (fractions allowed).' },
        max_backups: { type: 'integer', minimum: 0, default: 5, description: 'Rotated files to keep; older ones are deleted.' },
      },
    },
    flush_interval: durationSchema('1s', 'Longest time data stays in the write buffer before it is written.'),
  },
};
