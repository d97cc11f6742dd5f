/**
 * The public plugin API of Nissa: the only module a plugin (built-in or a user's) imports.
 */
export * from './signals';
export * from './errors';
export * from './duration';
export * from './clock';
export * from './logger';
export * from './consumer';
export * from './host';
export * from './endpoint';
export * from './plugin';
export * from '../model/metric-kind';
export * from '../model/labels';
export * from '../model/typed-arrays';
export * from '../model/series-table';
export * from '../model/series-pins';
export * from '../model/complex-value';
export * from '../model/metric-batch';
export * from '../model/metric-gather';
export * from '../model/attributes';
export * from '../model/events';
export * from '../model/alerts';
export * from '../model/control';
export * from '../model/batch';
