import { strict as assert } from 'node:assert';
import { CircuitBreaker } from '../../src/runtime/breaker';
import { FakeClock } from '../../src/testing';

describe('circuit breaker', () => {
  const config = { failure_threshold: 3, reset_timeout_ms: 10_000, half_open_max_calls: 1 };
  let clock: FakeClock;
  let breaker: CircuitBreaker;
  let transitions: string[];
  beforeEach(() => {
    clock = new FakeClock();
    breaker = new CircuitBreaker(config, clock);
    transitions = [];
    breaker.onChange((from, to) => transitions.push(`${from}->${to}`));
  });

  it('opens after failure_threshold consecutive failures, not after interleaved ones', () => {
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    assert.equal(breaker.state, 'closed');
    breaker.failure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.tryAcquire(), false);
    assert.equal(breaker.retryAfterMs(), 10_000);
  });

  it('goes half-open after reset_timeout and lets half_open_max_calls probes through', () => {
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.advance(9_999);
    assert.equal(breaker.state, 'open');
    clock.advance(1);
    assert.equal(breaker.state, 'half_open');
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.tryAcquire(), false, 'only one probe at a time');
    breaker.success();
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(transitions, ['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('reopens when a probe fails, and restarts the reset timeout', () => {
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.advance(10_000);
    assert.equal(breaker.tryAcquire(), true);
    breaker.failure();
    assert.equal(breaker.state, 'open');
    clock.advance(5_000);
    assert.equal(breaker.state, 'open');
    clock.advance(5_000);
    assert.equal(breaker.state, 'half_open');
  });

  it('frees the probe slot when a probe ends neutrally (bad data says nothing about health)', () => {
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.advance(10_000);
    assert.equal(breaker.tryAcquire(), true);
    breaker.neutral();
    assert.equal(breaker.state, 'half_open');
    assert.equal(breaker.tryAcquire(), true);
  });

  it('closes on operator reset', () => {
    for (let i = 0; i < 3; i++) breaker.failure();
    breaker.reset();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.tryAcquire(), true);
  });
});
