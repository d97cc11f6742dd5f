import type { ReceiverInstance, Signal } from '../api';
import type { ReceiverHttpServer, Route } from './receiver-server';

/**
 * Base of the receivers that are one {@link ReceiverHttpServer}: their lifecycle is the server's
 * (bind in start, drain and close in shutdown, `address()` for tests that bind port 0). Subclasses
 * build the server, with their routes, in their constructor.
 */
export abstract class HttpServerReceiver implements ReceiverInstance {
  protected abstract readonly server: ReceiverHttpServer;

  start(): Promise<void> {
    return this.server.start();
  }

  shutdown(): Promise<void> {
    return this.server.shutdown();
  }

  /** `host:port` actually bound. */
  address(): string {
    return this.server.address();
  }
}

/**
 * The routes of the signals some pipeline takes from this receiver (`ctx.output.signals`): the
 * paths of the others are not served and answer 404, instead of accepting data nobody consumes.
 */
export function routesForSignals(taken: readonly Signal[], bySignal: Partial<Record<Signal, Route>>): Route[] {
  const routes: Route[] = [];
  for (const signal of taken) {
    const route = bySignal[signal];
    if (route !== undefined) routes.push(route);
  }
  return routes;
}
