import Ajv from 'ajv';

/** Validates a copy of `config` against a plugin schema the way the loader does (defaults applied). */
export function validateConfig(schema: Record<string, unknown>, config: unknown): { ok: boolean; config: any; errors: string } {
  const ajv = new Ajv({ useDefaults: true, allowUnionTypes: true });
  const check = ajv.compile(schema);
  const copy = structuredClone(config);
  const ok = check(copy);
  return { ok, config: copy, errors: ajv.errorsText(check.errors) };
}
