import { hostname } from 'node:os';
import type { ActionConfig } from './config';

/** The fields an action edits: labels (string values) or attributes (any value). */
export type Fields<V> = Map<string, V>;

/** An action compiled against a value type; returns true when it changed the fields. */
export type Action<V> = (fields: Fields<V>) => boolean;

export interface ValueCodec<V> {
  /** A config literal or resolved text as a field value. */
  fromText(text: string | number | boolean): V;
  /** A field value as text for regex captures; undefined when it has none. */
  toText(value: V): string | undefined;
}

const HOST_FACTS = { hostname: () => hostname(), pid: () => String(process.pid), platform: () => process.platform };

/** Compiles the actions of the config, in order. Throws on an incoherent action (config error). */
export function compileActions<V>(configs: readonly ActionConfig[], codec: ValueCodec<V>, env: NodeJS.ProcessEnv = process.env): Action<V>[] {
  return configs.map((c, i) => {
    try {
      return compileAction(c, codec, env);
    } catch (err) {
      throw new Error(`enrich actions[${i}] (${c.action} ${c.key}): ${(err as Error).message}`);
    }
  });
}

function compileAction<V>(c: ActionConfig, codec: ValueCodec<V>, env: NodeJS.ProcessEnv): Action<V> {
  switch (c.action) {
    case 'delete':
      return deleteAction(c);
    case 'rename':
    case 'copy':
      return moveAction(c, c.action === 'rename');
    default: {
      const source = valueSource(c, codec, env);
      const when = c.action;
      return (f) => {
        const present = f.has(c.key);
        if ((when === 'insert' && present) || (when === 'update' && !present)) return false;
        const v = source(f);
        if (v === undefined || (present && f.get(c.key) === v)) return false;
        f.set(c.key, v);
        return true;
      };
    }
  }
}

function deleteAction<V>(c: ActionConfig): Action<V> {
  if (c.pattern === undefined) return (f) => f.delete(c.key);
  const re = new RegExp(c.pattern);
  return (f) => {
    let changed = false;
    for (const k of [...f.keys()]) if (re.test(k)) changed = f.delete(k) || changed;
    return changed;
  };
}

function moveAction<V>(c: ActionConfig, rename: boolean): Action<V> {
  const to = c.new_key;
  if (to === undefined) throw new Error('needs new_key');
  return (f) => {
    if (!f.has(c.key)) return false;
    f.set(to, f.get(c.key)!);
    if (rename && to !== c.key) f.delete(c.key);
    return true;
  };
}

/** Where an insert/update/upsert takes its value from; exactly one source must be given. */
function valueSource<V>(c: ActionConfig, codec: ValueCodec<V>, env: NodeJS.ProcessEnv): (f: Fields<V>) => V | undefined {
  const given = [c.value !== undefined, c.from_env !== undefined, c.from_host !== undefined, c.from_label !== undefined].filter(Boolean).length;
  if (given !== 1) throw new Error('needs exactly one of value, from_env, from_host, from_label');
  if (c.value !== undefined) {
    const v = codec.fromText(c.value);
    return () => v;
  }
  if (c.from_env !== undefined) {
    const text = env[c.from_env];
    const v = text === undefined ? undefined : codec.fromText(text);
    return () => v;
  }
  if (c.from_host !== undefined) {
    const v = codec.fromText(HOST_FACTS[c.from_host]());
    return () => v;
  }
  const from = c.from_label!;
  if (c.pattern === undefined) return (f) => f.get(from);
  const re = new RegExp(c.pattern);
  return (f) => {
    const src = f.get(from);
    const text = src === undefined ? undefined : codec.toText(src);
    const m = text === undefined ? null : re.exec(text);
    return m === null ? undefined : codec.fromText(m[1] ?? m[0]);
  };
}
