import type { JsonSchema } from '../../src/api';

export type ActionKind = 'insert' | 'update' | 'upsert' | 'delete' | 'rename' | 'copy';
export type HostFact = 'hostname' | 'pid' | 'platform';

export interface ActionConfig {
  key: string;
  action: ActionKind;
  value?: string | number | boolean;
  from_env?: string;
  from_host?: HostFact;
  from_label?: string;
  pattern?: string;
  new_key?: string;
}

export interface EnrichConfig {
  actions: ActionConfig[];
  promote_resource_attributes: string[];
  resource_label_prefix: string;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    actions: {
      type: 'array',
      default: [],
      description: 'Edits of metric labels / event attributes, applied in order.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'action'],
        properties: {
          key: { type: 'string', minLength: 1, description: 'The label or attribute acted on (the source for rename and copy).' },
          action: { type: 'string', enum: ['insert', 'update', 'upsert', 'delete', 'rename', 'copy'], description: 'insert: set when absent; update: set when present; upsert: set always; delete: remove (`pattern`: every key matching the regex); rename/copy: move/copy `key` to `new_key`.' },
          value: { type: ['string', 'number', 'boolean'], description: 'Literal value (insert/update/upsert).' },
          from_env: { type: 'string', description: 'Value from this environment variable, read at start-up; the action is skipped when unset.' },
          from_host: { type: 'string', enum: ['hostname', 'pid', 'platform'], description: 'Value from a host fact.' },
          from_label: { type: 'string', description: 'Value from another label (metrics) or attribute (events).' },
          pattern: { type: 'string', description: 'With from_label: a regex whose first capture group (or whole match) is the value; skipped when it does not match. With delete: a regex on key names.' },
          new_key: { type: 'string', minLength: 1, description: 'Target of rename and copy.' },
        },
      },
    },
    promote_resource_attributes: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      description: 'Resource attribute name globs (`*` = any run) promoted: events get them as attributes (existing attributes win); metrics get labels `<resource_label_prefix><name>` renamed to `<name>`.',
    },
    resource_label_prefix: { type: 'string', default: '', description: 'The prefix the OTLP receiver puts before promoted resource attributes (its `resource_to_labels.prefix`). Empty: no metric label is treated as a resource attribute.' },
  },
};
