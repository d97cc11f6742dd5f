import assert from 'node:assert/strict';
import type { AttributeValue } from '../../src/model/attributes';
import { AttributeShapes } from '../../src/otlp/attribute-shapes';

/** The object the one-by-one build makes (the behaviour every shape must reproduce). */
function plain(keys: readonly string[], values: readonly AttributeValue[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  keys.forEach((k, i) => (k === '__proto__' ? Object.defineProperty(out, k, { value: values[i], enumerable: true, writable: true, configurable: true }) : (out[k] = values[i]!)));
  return out;
}

describe('attribute shapes', () => {
  it('builds the same objects (values, key order, prototype) before and after the shape is compiled', () => {
    const shapes = new AttributeShapes(['epoch', 'topic']);
    const keys = ['service', '10', 'topic', 'a"b\\c\u2028', 'épique', ''];
    const shape = shapes.get(keys, keys.length);
    assert.equal(shapes.get([...keys], keys.length), shape, 'found again by its keys');
    assert.deepEqual([...shape.wellKnown], [-1, 2]);
    for (let i = 0; i < 50; i++) {
      const values: AttributeValue[] = [`s${i}`, i, 'http', null, 2n ** 60n, { nested: [i] }];
      const made = shape.make(values);
      assert.deepStrictEqual(made, plain(keys, values));
      assert.deepEqual(Object.keys(made), Object.keys(plain(keys, values)));
      assert.equal(Object.getPrototypeOf(made), Object.prototype);
    }
  });

  it('never compiles a shape with `__proto__`: the key stays an own property', () => {
    const shape = new AttributeShapes([]).get(['x', '__proto__'], 2);
    for (let i = 0; i < 40; i++) {
      const made = shape.make([1, { polluted: true }]);
      assert.equal(Object.getPrototypeOf(made), Object.prototype);
      assert.deepEqual(Object.keys(made), ['x', '__proto__']);
      assert.equal((made as { polluted?: boolean }).polluted, undefined);
    }
  });

  it('uses only the first n keys, and stays bounded by its capacity', () => {
    const shapes = new AttributeShapes([], 4);
    const shape = shapes.get(['a', 'b', 'stale'], 2);
    assert.deepEqual(shape.keys, ['a', 'b']);
    for (let i = 0; i < 10; i++) shapes.get([`k${i}`], 1);
    assert.notEqual(shapes.get(['a', 'b'], 2), shape, 'evicted when the table started over');
    assert.deepStrictEqual(shapes.get(['a', 'b'], 2).make([1, 2]), { a: 1, b: 2 });
  });
});
