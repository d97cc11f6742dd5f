import type { Registry } from '../plugins/registry';
import { formatDiagnostics } from './format';
import { loadConfig } from './load';

export interface ValidateOutput {
  /** Every diagnostic, one per line, then a summary line. */
  readonly text: string;
  /** 0 when the config is valid, even with warnings. */
  readonly exitCode: 0 | 1;
}

/** `nissa validate --config <file>`: checks the file, prints every problem; the CLI prints `text` and exits. */
export function validateCommand(file: string, registry: Registry): ValidateOutput {
  const result = loadConfig(file, { registry });
  const lines = formatDiagnostics(result);
  const errors = plural(result.errors.length, 'error');
  const warnings = plural(result.warnings.length, 'warning');
  lines.push(result.errors.length === 0 ? `${file}: valid (${warnings})` : `${file}: invalid (${errors}, ${warnings})`);
  return { text: lines.join('\n'), exitCode: result.errors.length === 0 ? 0 : 1 };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
