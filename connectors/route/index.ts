import { defineConnector } from '../../src/api';
import { configSchema } from './config';
import type { RouteConfig } from './config';
import { Router } from './router';

export const plugin = defineConnector<RouteConfig>({
  type: 'route',
  description: 'Routes metrics (by name or labels), events (by topic glob, event type or attributes) and alerts to pipelines, with a default route; also takes dead letters from `validate`.',
  signals: [
    ['metrics', 'metrics'],
    ['events', 'events'],
    ['alerts', 'alerts'],
  ],
  configSchema,
  create: (ctx) => new Router(ctx),
});
