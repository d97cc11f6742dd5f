/** Runs `promtool check metrics` (reads an exposition on stdin) and reports its verdict. */
import { spawn } from 'node:child_process';

export interface PromtoolResult {
  /** True when promtool exited 0 (no errors; lint warnings also make it exit non-zero). */
  ok: boolean;
  /** Combined stdout and stderr. */
  output: string;
}

export function checkMetrics(text: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn('/usr/bin/promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ ok: code === 0, output }));
    proc.stdin.end(text);
  });
}
