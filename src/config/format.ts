import { sortByLocation } from './diagnostics';
import type { ConfigDiagnostic, LoadResult } from './types';

/** `file:line:col: path: message (hint)`; warnings read `file:line:col: warning: path: message`. */
export function formatDiagnostic(d: ConfigDiagnostic): string {
  const where = `${d.location.file}:${d.location.line}:${d.location.column}`;
  const severity = d.severity === 'warning' ? 'warning: ' : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}: ${severity}${d.path}: ${d.message}${hint}`;
}

/** Errors and warnings together, by line, one formatted line each. */
export function formatDiagnostics(result: LoadResult): string[] {
  return sortByLocation([...result.errors, ...result.warnings]).map(formatDiagnostic);
}
