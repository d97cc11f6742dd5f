import { isMap, isPair, isScalar, isSeq, Scalar, type Document } from 'yaml';
import type { Diagnostics } from './diagnostics';
import type { YamlPath } from './locate';

export type Env = Record<string, string | undefined>;

/** `$$` (a literal `$`) or `${...}` (a reference). A lone `$` stays as written. */
const TOKEN = /\$\$|\$\{([^}]*)\}/g;
const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const WHOLE_REF = /^\$\{env:[^}]*\}$/;

/**
 * Replaces `${env:NAME}` and `${env:NAME:-default}` in scalar values (never keys), in place, on
 * the parsed document: the nodes keep their ranges, so later errors still point at the right line.
 * A plain (unquoted) scalar that is exactly one reference is read again as YAML, so
 * `port: ${env:PORT}` gives a number; quote it to keep a string.
 */
export function substituteEnv(doc: Document, env: Env, diags: Diagnostics): void {
  visit(doc.contents, [], env, diags);
}

function visit(node: unknown, path: YamlPath, env: Env, diags: Diagnostics): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)], env, diags);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => visit(item, [...path, index], env, diags));
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
    const text = node.value;
    let failed = false;
    const replaced = substitute(text, env, (message, hint) => {
      diags.error(path, message, hint);
      failed = true;
    });
    if (failed) diags.explain(path);
    node.value = node.type === Scalar.PLAIN && WHOLE_REF.test(text) ? reinterpret(replaced) : replaced;
  }
}

/** Substitutes one string; problems go to `report`, and an unset variable becomes ''. */
export function substitute(text: string, env: Env, report: (message: string, hint: string) => void): string {
  return text.replace(TOKEN, (token: string, inner: string | undefined) => {
    if (token === '$$') return '$';
    const ref = ENV_REF.exec(inner ?? '');
    if (!ref) {
      report(`unsupported reference "${token}"`, 'write ${env:NAME} or ${env:NAME:-default}; $$ is a literal $');
      return '';
    }
    const [, name, fallback] = ref;
    const value = env[name!];
    // As in the shell, `:-` also covers a variable that is set but empty.
    if (value !== undefined && (value !== '' || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    report(`environment variable ${name} is not set`, `set it, or give a default: \${env:${name}:-value}`);
    return '';
  });
}

/** Reads a substituted value as a YAML 1.2 core-schema scalar: null, bool, int, float or string. */
export function reinterpret(value: string): unknown {
  if (/^(~|null|Null|NULL)?$/.test(value)) return null;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  if (/^[-+]?[0-9]+$/.test(value)) return Number(value);
  if (/^0o[0-7]+$/.test(value)) return parseInt(value.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(value)) return parseInt(value.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(value)) return Number(value);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(value)) return value.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(value)) return NaN;
  return value;
}
