import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DURATION_PATTERN, SIZE_PATTERN } from '../api/duration';
import type { JsonSchema } from '../api/plugin';
import type { Diagnostics } from './diagnostics';
import { suggest } from './did-you-mean';
import { pointerToPath, type YamlPath } from './locate';
import { ENDPOINT_PATTERN } from './schema';

// strict: false because plugin schemas are written by others and may carry keywords ajv does not
// know (documentation extras); unknown config keys are still refused by additionalProperties:false.
const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false });
addFormats(ajv);

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** Compiles once per schema object; throws when the schema itself is invalid. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface CheckOptions {
  /** Where `value` sits in the file. */
  readonly at: YamlPath;
  /** Keys allowed at the top of `value` that the schema does not list (runtime keys), for hints. */
  readonly extraKeys?: readonly string[];
}

/**
 * Validates `value` in place (defaults are filled) and reports every error at its YAML path.
 * Returns whether it is valid.
 */
export function checkAgainst(schema: JsonSchema, value: unknown, diags: Diagnostics, opts: CheckOptions): boolean {
  const validate = compileSchema(schema);
  if (validate(value)) return true;
  for (const err of validate.errors ?? []) report(err, value, diags, opts);
  return false;
}

function report(err: ErrorObject, value: unknown, diags: Diagnostics, opts: CheckOptions): void {
  const path = [...opts.at, ...pointerToPath(err.instancePath, value)];
  const params = err.params as Record<string, unknown>;
  const parent = (err.parentSchema ?? {}) as JsonSchema;
  if (err.propertyName !== undefined) {
    // A key refused by `propertyNames`: named at its own path, with the rule's description (ajv's
    // own message would be a bare pattern).
    const rule = typeof parent['description'] === 'string' ? parent['description'] : err.message;
    diags.error([...path, err.propertyName], `key "${err.propertyName}" ${rule ?? 'is not allowed'}`);
    return;
  }
  switch (err.keyword) {
    case 'propertyNames':
      // The error above for the key itself says it.
      return;
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((parent['properties'] as object | undefined) ?? {});
      if (err.instancePath === '') allowed.push(...(opts.extraKeys ?? []));
      diags.error([...path, key], `unknown key "${key}"`, suggest(key, allowed.sort(), 'allowed keys'));
      return;
    }
    case 'required':
      // Points at the object that lacks the key, the nearest thing that is written in the file.
      diags.error(path, `missing required key "${String(params['missingProperty'])}"`);
      return;
    case 'type':
      diags.error(path, typeMessage(String(params['type']), parent));
      return;
    case 'pattern':
      diags.error(path, PATTERN_MESSAGES[String(params['pattern'])] ?? `must match ${String(params['pattern'])}`);
      return;
    case 'minLength': {
      const limit = Number(params['limit']);
      diags.error(path, limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`);
      return;
    }
    case 'enum':
      diags.error(path, `must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`);
      return;
    default:
      diags.error(path, err.message ?? `fails ${err.keyword}`);
  }
}

const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [DURATION_PATTERN]: 'must be a duration such as 250ms, 5s, 1m30s',
  [SIZE_PATTERN]: 'must be a size such as 512KiB, 20MiB',
  [ENDPOINT_PATTERN]: 'must be host:port',
};

function typeMessage(types: string, parent: JsonSchema): string {
  const pattern = parent['pattern'];
  if (typeof pattern === 'string' && PATTERN_MESSAGES[pattern]) return PATTERN_MESSAGES[pattern]!;
  return `must be ${types.split(',').join(' or ')}`;
}
