import type { JsonSchema, Signal } from '../api';

/** The topics of the platform's message bus that Nissa reads by default (one Redis stream each). */
export const DEFAULT_TOPICS: readonly string[] = [
  'telemetry.seed.health',
  'control.kasmina.commands',
  'innovation.field_reports',
  'compilation.kernel.ready',
  'validation.kernel.characterized',
  'system.events.epoch',
  'morphogenetic.adaptation.triggered',
  'circuit_breaker.state_changed',
];

/** `auto`: metric messages go to `metrics`, anything else to `events`. */
export type TopicSignal = Signal | 'auto';
export type PayloadFormat = 'auto' | 'protobuf' | 'json';

export interface TopicSetting {
  readonly signal: TopicSignal;
  readonly format: PayloadFormat;
}

/** Per-topic overrides as written in YAML (`topic_settings: {<topic>: {signal, format}}`). */
export type TopicSettings = Readonly<Record<string, Partial<TopicSetting>>>;

export const topicSettingsSchema: JsonSchema = {
  type: 'object',
  default: {},
  description: 'Per-topic overrides: `signal` (`auto`, `metrics`, `events`, `alerts`, `control`) and payload `format` (`auto`, `protobuf`, `json`).',
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      signal: { type: 'string', enum: ['auto', 'metrics', 'events', 'alerts', 'control'], description: 'Signal of the topic; `auto` tells metric messages from events.' },
      format: { type: 'string', enum: ['auto', 'protobuf', 'json'], description: 'Payload encoding; `auto` detects JSON by its leading `{`.' },
    },
  },
};

/** Control topics (`control.*`) carry commands; every other topic is events or, by payload, metrics. */
export function defaultSignalOf(topic: string): TopicSignal {
  return topic.startsWith('control.') ? 'control' : 'auto';
}

export function topicSetting(topic: string, overrides: TopicSettings): TopicSetting {
  const o = overrides[topic] ?? {};
  return { signal: o.signal ?? defaultSignalOf(topic), format: o.format ?? 'auto' };
}

/** The signals a topic can produce: what a pipeline must take for the topic to be read. */
export function signalsOf(setting: TopicSetting): readonly Signal[] {
  return setting.signal === 'auto' ? ['events', 'metrics'] : [setting.signal];
}
