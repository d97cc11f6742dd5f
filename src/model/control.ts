/** Commands the runtime understands; others are reported as unsupported. */
export type ControlCommandName = 'set_mode' | 'flush' | 'reset_breaker' | 'reload' | (string & {});

export interface ControlCommand {
  readonly command: ControlCommandName;
  /** Component id (`batch/fast`), pipeline id, or empty for the whole collector. */
  readonly target: string;
  readonly args: Readonly<Record<string, string>>;
  readonly issuedAtMs: number;
  readonly requestId?: string;
  readonly epoch?: number;
}

export interface ControlBatch {
  readonly signal: 'control';
  readonly items: readonly ControlCommand[];
}

export function controlBatch(items: readonly ControlCommand[]): ControlBatch {
  return { signal: 'control', items };
}
