/** Helpers for testing plugins without a running collector (used by built-ins and user plugins alike). */
export * from './fake-clock';
export * from './collecting-consumer';
export * from './test-context';
export * from './collector';
export * from './plugin-config';
