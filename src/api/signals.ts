/** The four kinds of data that flow through Nissa. A pipeline id is `<signal>[/name]`. */
export type Signal = 'metrics' | 'events' | 'alerts' | 'control';

export const SIGNALS: readonly Signal[] = ['metrics', 'events', 'alerts', 'control'];

export function isSignal(value: string): value is Signal {
  return (SIGNALS as readonly string[]).includes(value);
}
