import { durationSchema } from '../../src/api';
import type { JsonSchema } from '../../src/api';

export interface BatchConfig {
  send_batch_size: number;
  send_batch_max_size: number;
  timeout: string | number;
  max_buffered: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    send_batch_size: { type: 'integer', minimum: 1, default: 1000, description: 'Items (metric points, events, alerts) that trigger a send.' },
    send_batch_max_size: { type: 'integer', minimum: 0, default: 10000, description: 'Upper bound of a sent batch; larger input is split (0 = no bound).' },
    timeout: durationSchema('1s', 'Longest time an item waits before the buffer is sent regardless of size.'),
    max_buffered: { type: 'integer', minimum: 0, default: 0, description: 'Items held at most while downstream refuses; beyond it new input is refused (back-pressure). 0 = 10 x send_batch_max_size (or 10 x send_batch_size).' },
  },
};
