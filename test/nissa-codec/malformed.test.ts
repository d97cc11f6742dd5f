import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { SeriesTable, SIGNALS, PermanentError, type Signal } from '../../src/api';
import { MalformedMessage, NissaDecoder } from '../../src/nissa-codec';
import { encodeObject, gauge, NOW } from './fixtures';

const decoder = new NissaDecoder(new SeriesTable());
const decode = (signal: Signal, bytes: Uint8Array) => decoder.decode(signal, bytes, NOW);

/** Decoding must end in a result or a MalformedMessage, never another error. */
function decodesCleanly(signal: Signal, bytes: Uint8Array): void {
  try {
    decode(signal, bytes);
  } catch (err) {
    assert.ok(err instanceof MalformedMessage, `unexpected ${String(err)}`);
  }
}

describe('nissa codec on malformed input', () => {
  const valid = encodeObject('metrics', { points: [gauge('a', { x: '1' }), gauge('b')] });

  it('a truncated message is a clean MalformedMessage (a PermanentError, so HTTP 400)', () => {
    for (let cut = 1; cut < valid.length; cut++) {
      const part = valid.subarray(0, cut);
      try {
        const r = decode('metrics', part);
        // Cutting exactly between points leaves a shorter valid message.
        assert.ok(r.accepted <= 1);
      } catch (err) {
        assert.ok(err instanceof MalformedMessage && err instanceof PermanentError);
        assert.match(err.message, /truncated|past the end/);
      }
    }
  });

  it('a length past the end of the message', () => {
    assert.throws(() => decode('events', Uint8Array.of(0x0a, 0x7f, 0x01)), /length past the end/);
  });

  it('a varint longer than 10 bytes', () => {
    const bytes = Uint8Array.of(0x10, ...new Array(11).fill(0xff), 0x01);
    assert.throws(() => decode('metrics', bytes), /varint longer than 10 bytes/);
  });

  it('a wrong wire type for the items field', () => {
    assert.throws(() => decode('alerts', Uint8Array.of(0x08, 0x01)), /wire type 0, expected 2/);
  });

  it('groups and invalid wire types', () => {
    assert.throws(() => decode('control', Uint8Array.of(0x13, 0x14)), /unsupported wire type 3/);
    assert.throws(() => decode('control', Uint8Array.of(0x17)), /unsupported wire type 7/);
  });

  it('empty input is an empty batch', () => {
    for (const s of SIGNALS) assert.equal(decode(s, new Uint8Array(0)).accepted, 0);
  });

  it('invalid JSON and JSON of the wrong shape are MalformedMessage', () => {
    assert.throws(() => decoder.decode('metrics', Buffer.from('{nope'), NOW, true), MalformedMessage);
    assert.throws(() => decoder.decode('metrics', Buffer.from('[1]'), NOW, true), MalformedMessage);
    assert.throws(() => decoder.decode('metrics', Buffer.from('{"points":[{"labels":"x"}]}'), NOW, true), MalformedMessage);
  });

  it('random bytes never crash the decoder (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIGNALS), fc.uint8Array({ maxLength: 300 }), (signal, bytes) => decodesCleanly(signal, bytes)),
      { numRuns: 2000 },
    );
  });

  it('random corruptions of a valid message never crash the decoder (property)', () => {
    const events = encodeObject('events', { events: [{ topic: 't', event_type: 'e', timestamp_ms: NOW, attributes: [{ key: 'k', value: { array_value: { values: [{ int_value: 5 }] } } }] }] });
    fc.assert(
      fc.property(fc.constantFrom(['metrics', valid] as const, ['events', events] as const), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), ([signal, msg], flips) => {
        const bytes = Uint8Array.from(msg);
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        decodesCleanly(signal, bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
