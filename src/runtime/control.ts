import type { ControlResult, Mode } from '../api/host';
import type { ControlCommand } from '../model/control';
import type { GraphNode } from './graph';
import type { ModeManager } from './mode-manager';

const MODES: readonly string[] = ['normal', 'conservative', 'emergency'];

export interface ControlTargets {
  readonly nodes: readonly GraphNode[];
  readonly modes: ModeManager;
  /** Schedules a reload of the config file; undefined when the collector was not started from a file. */
  readonly reload: (() => void) | undefined;
}

/** Carries out the control commands the runtime understands; says plainly when it does not. */
export async function executeControl(cmd: ControlCommand, t: ControlTargets): Promise<ControlResult> {
  const matching = (n: GraphNode) => !cmd.target || n.id === cmd.target || n.pipeline === cmd.target;
  switch (cmd.command) {
    case 'set_mode': {
      const mode = cmd.args['mode'];
      if (mode === 'auto') {
        t.modes.force(undefined, 'released by operator');
        return { ok: true, message: 'mode released to automatic' };
      }
      if (!mode || !MODES.includes(mode)) return { ok: false, message: `set_mode needs args.mode = normal | conservative | emergency | auto, got ${JSON.stringify(mode)}` };
      t.modes.force(mode as Mode, 'forced by operator');
      return { ok: true, message: `mode forced to ${mode}` };
    }
    case 'flush': {
      const targets = t.nodes.filter((n) => matching(n) && typeof n.instance.flush === 'function');
      await Promise.all(targets.map((n) => n.instance.flush!()));
      return { ok: true, message: `flushed ${targets.length} stage(s)` };
    }
    case 'reset_breaker': {
      const targets = t.nodes.filter((n) => matching(n) && n.breaker);
      for (const n of targets) n.breaker!.reset();
      return targets.length > 0 || !cmd.target ? { ok: true, message: `reset ${targets.length} breaker(s)` } : { ok: false, message: `no stage ${cmd.target}` };
    }
    case 'reload':
      if (!t.reload) return { ok: false, message: 'reload is only supported when the collector runs from a config file (nissa run)' };
      // Scheduled, not awaited: the reload stops this graph, including the stage running this command.
      setImmediate(t.reload);
      return { ok: true, message: 'reload scheduled' };
    default:
      return { ok: false, message: `unsupported control command ${JSON.stringify(cmd.command)} (supported: set_mode, flush, reset_breaker, reload)` };
  }
}
