import { formatPath, type Locator, type YamlPath } from './locate';
import type { ConfigDiagnostic, SourceLocation } from './types';

/**
 * Collects every problem of one config file, so all are reported at once (never stop at the
 * first), each located through the YAML document.
 */
export class Diagnostics {
  private readonly list: ConfigDiagnostic[] = [];
  /** Paths whose value is already known to be wrong (an unset variable): later errors there are noise. */
  private readonly explained = new Set<string>();

  constructor(readonly locator: Locator) {}

  error(path: YamlPath, message: string, hint?: string): void {
    this.add('error', this.locator.locate(path), path, message, hint);
  }

  warning(path: YamlPath, message: string, hint?: string): void {
    this.add('warning', this.locator.locate(path), path, message, hint);
  }

  /** An error at an explicit place (YAML syntax errors, a parent object for a missing key). */
  errorAt(location: SourceLocation, path: YamlPath | string, message: string, hint?: string): void {
    this.add('error', location, path, message, hint);
  }

  /** Marks `path` as explained: further errors at exactly this path are dropped. */
  explain(path: YamlPath): void {
    this.explained.add(formatPath(path));
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }

  errors(): ConfigDiagnostic[] {
    return sortByLocation(this.list.filter((d) => d.severity === 'error'));
  }

  warnings(): ConfigDiagnostic[] {
    return sortByLocation(this.list.filter((d) => d.severity === 'warning'));
  }

  private add(severity: ConfigDiagnostic['severity'], location: SourceLocation, path: YamlPath | string, message: string, hint?: string): void {
    const pathText = typeof path === 'string' ? path : formatPath(path);
    if (this.explained.has(pathText)) return;
    if (this.list.some((d) => d.path === pathText && d.message === message)) return;
    this.list.push(hint === undefined ? { severity, location, path: pathText, message } : { severity, location, path: pathText, message, hint });
  }
}

/** By line, then column; stable, so problems found in order at one place keep that order. */
export function sortByLocation(list: readonly ConfigDiagnostic[]): ConfigDiagnostic[] {
  return [...list].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}
