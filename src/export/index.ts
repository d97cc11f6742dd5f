/** Formatting of items to JSON, shared by exporters (file, debug, and any that write JSON lines). */
export * from './json-number';
export * from './json-value';
export * from './redaction';
export * from './metric-lines';
export * from './event-lines';
export * from './alert-lines';
export * from './control-lines';
export * from './json-lines';
