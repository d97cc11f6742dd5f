import { strict as assert } from 'node:assert';
import { LoadSupervisor } from '../../src/runtime/load-supervisor';
import { ModeManager } from '../../src/runtime/mode-manager';

describe('load supervisor (conservative and emergency modes)', () => {
  const MIB = 1024 * 1024;
  let heap: number;
  let fill: number;
  let open: string[];
  let modes: ModeManager;
  let supervisor: LoadSupervisor;
  beforeEach(() => {
    heap = 100 * MIB;
    fill = 0;
    open = [];
    modes = new ModeManager();
    supervisor = new LoadSupervisor(
      { soft_limit_mib: 200, limit_mib: 400, check_interval_ms: 1000 },
      { queue_high_watermark: 0.8, processing_delay_ms: 10, batch_size_factor: 0.5, hysteresis: 0.8 },
      modes,
      { heapUsedBytes: () => heap, queueFill: () => fill, openBreakers: () => open },
    );
  });

  it('goes conservative at the soft limit, emergency at the limit, and back with hysteresis', () => {
    const changes: string[] = [];
    modes.onChange(({ mode }) => changes.push(mode));
    assert.equal(supervisor.check(), 'normal');
    heap = 210 * MIB;
    assert.equal(supervisor.check(), 'conservative');
    heap = 410 * MIB;
    assert.equal(supervisor.check(), 'emergency');
    heap = 330 * MIB; // above 0.8 x 400: stays in emergency
    assert.equal(supervisor.check(), 'emergency');
    heap = 300 * MIB;
    assert.equal(supervisor.check(), 'conservative');
    heap = 170 * MIB; // above 0.8 x 200: stays conservative
    assert.equal(supervisor.check(), 'conservative');
    heap = 150 * MIB;
    assert.equal(supervisor.check(), 'normal');
    assert.deepEqual(changes, ['conservative', 'emergency', 'conservative', 'normal']);
  });

  it('goes conservative when a queue passes its high watermark or a breaker opens', () => {
    fill = 0.85;
    assert.equal(supervisor.check(), 'conservative');
    fill = 0.7;
    assert.equal(supervisor.check(), 'conservative');
    fill = 0.5;
    assert.equal(supervisor.check(), 'normal');
    open = ['exporter:x'];
    assert.equal(supervisor.check(), 'conservative');
  });

  it('lets an operator force a mode over the automatic one until released', () => {
    modes.force('emergency', 'test');
    assert.equal(supervisor.check(), 'normal');
    assert.equal(modes.mode, 'emergency');
    modes.force(undefined, 'release');
    assert.equal(modes.mode, 'normal');
  });
});
