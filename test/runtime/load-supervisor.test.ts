import { strict as assert } from 'node:assert';
import { LoadSupervisor } from '../../src/runtime/load-supervisor';
import { ModeManager } from '../../src/runtime/mode-manager';

describe('load supervisor (conservative and emergency modes)', () => {
  const MIB = 1024 * 1024;
  let heap: number;
  let live: number;
  let reclaims: number;
  /** What a forced collection does to live memory in a test (nothing unless set). */
  let onReclaim: () => void;
  let fill: number;
  let open: string[];
  let modes: ModeManager;
  let supervisor: LoadSupervisor;
  beforeEach(() => {
    heap = 100 * MIB;
    live = 50 * MIB;
    reclaims = 0;
    onReclaim = () => undefined;
    fill = 0;
    open = [];
    modes = new ModeManager();
    supervisor = new LoadSupervisor(
      { soft_limit_mib: 200, limit_mib: 400, check_interval_ms: 1000 },
      { queue_high_watermark: 0.8, processing_delay_ms: 10, batch_size_factor: 0.5, hysteresis: 0.8 },
      modes,
      { residentBytes: () => heap, liveBytes: () => live, queueFill: () => fill, openBreakers: () => open, reclaim: () => (reclaims++, onReclaim()) },
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

  it('enters emergency at 90 % of the limit, so that resident memory stays under it', () => {
    assert.equal(supervisor.emergencyThresholdMib, 360);
    heap = 359 * MIB;
    assert.equal(supervisor.check(), 'conservative');
    heap = 360 * MIB;
    assert.equal(supervisor.check(), 'emergency');
  });

  it('reclaims garbage while in emergency, and counts live data freed since the peak as free', () => {
    heap = 395 * MIB;
    live = 150 * MIB;
    assert.equal(supervisor.check(), 'emergency');
    assert.equal(reclaims, 1, 'collected once before entering');
    live = 120 * MIB; // 30 MiB freed, resident memory unchanged (the allocator keeps it)
    assert.equal(supervisor.check(), 'emergency', '395 - 30 is still over 0.8 x 400');
    assert.equal(reclaims, 2, 'a GC is forced at each check in emergency');
    live = 50 * MIB; // 100 MiB freed: 295 counts as used
    assert.equal(supervisor.check(), 'conservative', 'emergency clears');
    assert.equal(supervisor.check(), 'conservative', 'and stays cleared: the credit holds while nothing is given back');
    assert.equal(reclaims, 3);
    heap = 330 * MIB; // 65 MiB given back to the system: the credit shrinks to 35
    assert.equal(supervisor.check(), 'conservative', '295 is over 0.8 x 200');
    heap = 180 * MIB; // more than the credit given back: what is resident is what counts
    live = 50 * MIB;
    assert.equal(supervisor.check(), 'conservative', '180 >= 160');
    heap = 150 * MIB;
    assert.equal(supervisor.check(), 'normal');
    live = 90 * MIB; // new data reuses nothing any more: counted in full
    heap = 210 * MIB;
    assert.equal(supervisor.check(), 'conservative');
  });

  it('collects garbage before memory would start emergency, and refuses nothing when what is left is under the onset', () => {
    heap = 370 * MIB;
    live = 300 * MIB; // over the 360 where emergency starts, most of it garbage not yet collected
    onReclaim = () => (live = 100 * MIB);
    assert.equal(supervisor.check(), 'normal', '370 - (300 - 100) = 170 is under the onset (and the soft limit)');
    assert.equal(reclaims, 1);
    assert.equal(supervisor.check(), 'normal', 'the credit holds; no second collection under the onset');
    assert.equal(reclaims, 1);
    heap = 380 * MIB;
    live = 350 * MIB;
    onReclaim = () => undefined; // live data this time: the collection frees nothing
    assert.equal(supervisor.check(), 'emergency');
    assert.equal(reclaims, 2);
  });

  it('collects garbage that holds conservative up, whatever raised it, at most every 10 s', () => {
    heap = 150 * MIB;
    live = 50 * MIB;
    fill = 0.9;
    assert.equal(supervisor.check(), 'conservative', 'a sending queue raised it');
    assert.equal(reclaims, 0, 'memory is under the soft limit');
    fill = 0; // the queue drained, but garbage grew: only memory holds the mode now
    heap = 230 * MIB;
    live = 150 * MIB;
    onReclaim = () => (live = 50 * MIB);
    assert.equal(supervisor.check(), 'normal', '230 - (150 - 50) = 130 is under 0.8 x 200 once collected');
    assert.equal(reclaims, 1);
    heap = 300 * MIB; // grew by 70: the credit falls to 30, and 270 is over the soft limit
    assert.equal(supervisor.check(), 'conservative', 'no second collection within 10 s of the first');
    assert.equal(reclaims, 1);
    for (let s = 2; s < 10; s++) assert.equal(supervisor.check(), 'conservative');
    assert.equal(reclaims, 1);
    live = 150 * MIB; // new garbage, all of which the next collection frees
    onReclaim = () => (live = 0);
    assert.equal(supervisor.check(), 'normal', '10 s after the first: collected, and 300 - 150 is under 0.8 x 200');
    assert.equal(reclaims, 2);
  });

  it('counts growth of resident memory against the credit of freed live data', () => {
    heap = 300 * MIB;
    live = 250 * MIB;
    assert.equal(supervisor.check(), 'conservative');
    live = 50 * MIB; // 200 MiB freed: 300 - 200 = 100 counts as used
    assert.equal(supervisor.check(), 'normal');
    heap = 450 * MIB; // resident memory grew by 150 although live data did not: the credit is used up
    assert.equal(supervisor.check(), 'emergency', '450 - (200 - 150) = 400 is over the 360 where emergency starts');
  });

  it('enters emergency once resident memory grows to the limit, however much freed live data it credits', () => {
    heap = 390 * MIB;
    live = 380 * MIB;
    assert.equal(supervisor.check(), 'emergency');
    live = 0; // 380 MiB freed: resident 390 counts as 10
    heap = 380 * MIB;
    assert.equal(supervisor.check(), 'normal');
    heap = 399 * MIB; // 19 MiB of growth outside the heap: 399 - (380 - 19) = 38, far under the onset...
    assert.equal(supervisor.check(), 'normal');
    heap = 400 * MIB; // ...but resident memory grew to the limit itself
    assert.equal(supervisor.check(), 'emergency');
    // It stays there with the data freed (the allocator keeps the pages): no growth, so the
    // credit decides again, or a collector refusing everything could never leave emergency.
    assert.equal(supervisor.check(), 'normal');
    assert.equal(supervisor.check(), 'normal');
  });

  it('leaves emergency some way under where it starts, even with a hysteresis near 1', () => {
    const near = new LoadSupervisor(
      { soft_limit_mib: 0, limit_mib: 400, check_interval_ms: 1000 },
      { queue_high_watermark: 0.8, processing_delay_ms: 10, batch_size_factor: 0.5, hysteresis: 0.99 },
      modes,
      { residentBytes: () => heap, liveBytes: () => 0, queueFill: () => 0, openBreakers: () => [] },
    );
    heap = 360 * MIB;
    assert.equal(near.check(), 'emergency');
    heap = 350 * MIB; // under the onset (360), not under 95 % of it (342): no flapping
    assert.equal(near.check(), 'emergency');
    heap = 340 * MIB;
    assert.equal(near.check(), 'normal');
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
