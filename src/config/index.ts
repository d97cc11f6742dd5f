export type * from './types';
export { loadConfig, loadConfigText, type LoadOptions } from './load';
export { formatDiagnostic, formatDiagnostics } from './format';
export { validateCommand, type ValidateOutput } from './validate-command';
export type { Env } from './env';
