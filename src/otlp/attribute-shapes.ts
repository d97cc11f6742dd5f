import type { AttributeValue, Attributes } from '../model/attributes';

/**
 * Attribute objects built by key set ("shape"). Records of one source carry the same keys in the
 * same order, record after record. Adding keys one by one to `{}` costs a keyed store and a
 * hidden-class transition per key (~40 ns each, and the 5th key leaves the in-object slots); an
 * object literal of the same keys allocates the final hidden class at once and stores each value
 * in place (~30 ns for the whole object). So a shape seen often enough gets a small factory
 * compiled from its keys, `(v) => ({"k0": v[0], "k1": v[1], ...})`; the result is the same plain
 * object, key order included, as the one-by-one build, which rarer shapes still use.
 */
export class AttributeShape {
  /** Index in {@link keys} of each of the cache's well-known keys, -1 where absent. */
  readonly wellKnown: Int32Array;
  private uses = 0;
  private factory: ((values: readonly AttributeValue[]) => Attributes) | undefined;

  constructor(readonly keys: readonly string[], wellKnownKeys: readonly string[]) {
    this.wellKnown = new Int32Array(wellKnownKeys.length);
    for (let i = 0; i < wellKnownKeys.length; i++) this.wellKnown[i] = keys.indexOf(wellKnownKeys[i]!);
  }

  /** A new attributes object of this shape's keys with `values[i]` under `keys[i]`. */
  make(values: readonly AttributeValue[]): Attributes {
    if (this.factory !== undefined) return this.factory(values);
    if (++this.uses === COMPILE_AFTER_USES && compilable(this.keys)) this.factory = compileFactory(this.keys);
    const keys = this.keys;
    const out: Record<string, AttributeValue> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      // As putAttribute: never let a key change the object's prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: values[i], enumerable: true, writable: true, configurable: true });
      else out[key] = values[i]!;
    }
    return out;
  }
}

/**
 * A shape is compiled once it has proved to recur: compiling costs tens of microseconds, so a
 * sender cycling through ever new key sets pays the cheaper one-by-one build instead.
 */
const COMPILE_AFTER_USES = 16;
/** Larger objects gain little from a literal and make big functions. */
const MAX_COMPILED_KEYS = 32;

function compilable(keys: readonly string[]): boolean {
  // A literal `"__proto__": v` would set the prototype: that shape stays on the generic build.
  return keys.length <= MAX_COMPILED_KEYS && !keys.includes('__proto__');
}

/** False once code generation turned out to be disallowed (`--disallow-code-generation-from-strings`). */
let canCompile = true;

function compileFactory(keys: readonly string[]): ((values: readonly AttributeValue[]) => Attributes) | undefined {
  if (!canCompile) return undefined;
  // JSON.stringify makes any key (untrusted bytes) a valid, inert JS string literal.
  const fields = keys.map((key, i) => `${JSON.stringify(key)}: v[${i}]`).join(', ');
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('v', `return { ${fields} };`) as (values: readonly AttributeValue[]) => Attributes;
  } catch {
    canCompile = false; // every shape keeps the one-by-one build: same objects, slower
    return undefined;
  }
}

/**
 * Shapes by key list, bounded: when full it starts over (shapes are cheap to make again, and a
 * flood of distinct key sets cannot grow it). The caller validates keys (no duplicates) first.
 */
export class AttributeShapes {
  private readonly byKeys = new Map<string, AttributeShape>();

  /** `wellKnownKeys`: keys whose position every shape records (see {@link AttributeShape.wellKnown}). */
  constructor(private readonly wellKnownKeys: readonly string[], private readonly capacity = 1024) {}

  /** The shape of `keys[0..n)`, distinct keys. */
  get(keys: readonly string[], n: number): AttributeShape {
    let id = '';
    for (let i = 0; i < n; i++) id += `${JSON.stringify(keys[i])},`;
    let shape = this.byKeys.get(id);
    if (shape === undefined) {
      if (this.byKeys.size >= this.capacity) this.byKeys.clear();
      shape = new AttributeShape(keys.slice(0, n), this.wellKnownKeys);
      this.byKeys.set(id, shape);
    }
    return shape;
  }
}
