import { defineReceiver, eventBatch } from '../../src/api';
import type { TelemetryEvent } from '../../src/api';

export interface InternalEventsConfig {
  readonly max_buffered: number;
}

/**
 * The collector's own events (circuit breaker transitions with topic
 * `circuit_breaker.state_changed`, mode changes with topic `nissa.mode_changed`) as an events
 * source, so they can be processed and exported like any event. Events are buffered while the
 * pipeline refuses, up to `max_buffered`; beyond that the oldest are dropped and counted (an
 * event about a failing pipeline must never make that pipeline fail harder).
 */
export const plugin = defineReceiver<InternalEventsConfig>({
  type: 'internal_events',
  description: "The collector's own events: circuit breaker state changes and mode changes.",
  signals: ['events'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_buffered: { type: 'integer', minimum: 1, default: 1000, description: 'Events kept while the pipeline refuses; the oldest are dropped beyond this.' },
    },
  },
  create(ctx) {
    let buffer: TelemetryEvent[] = [];
    let sending = false;
    let unsubscribe: (() => void) | undefined;
    let retry: ReturnType<typeof ctx.clock.setTimeout> | undefined;

    const send = async (): Promise<void> => {
      if (sending || buffer.length === 0) return;
      sending = true;
      const items = buffer;
      buffer = [];
      try {
        await ctx.output.consume(eventBatch(items));
      } catch {
        buffer = items.concat(buffer);
        retry ??= ctx.clock.setTimeout(() => {
          retry = undefined;
          void send();
        }, 1000);
      } finally {
        sending = false;
      }
    };

    return {
      start() {
        unsubscribe = ctx.host.onInternalEvent((event) => {
          buffer.push(event);
          if (buffer.length > ctx.config.max_buffered) {
            const excess = buffer.length - ctx.config.max_buffered;
            buffer.splice(0, excess);
            ctx.telemetry.dropped(excess, 'buffer_full');
          }
          // Deferred: the event may be raised inside another stage's call stack.
          setImmediate(() => void send());
        });
      },
      async shutdown() {
        unsubscribe?.();
        if (retry) ctx.clock.clear(retry);
        await send().catch(() => undefined);
      },
    };
  },
});
