import { readFileSync } from 'node:fs';
import type { Registry } from '../plugins/registry';
import { buildConfig } from './build';
import { asRecord, checkComponents } from './components';
import { Diagnostics } from './diagnostics';
import { substituteEnv, type Env } from './env';
import { checkPipelines } from './graph';
import { Locator } from './locate';
import { checkDuplicateKeys, parseYaml, reportYamlProblems, toData } from './parse';
import { loadServicePlugins } from './plugins';
import { TOP_LEVEL_SCHEMA } from './schema';
import { checkAgainst } from './schema-check';
import type { LoadResult } from './types';

export interface LoadOptions {
  /** Where component types are looked up; `service.plugins` modules are loaded into it. */
  readonly registry: Registry;
  /** For `${env:NAME}`; defaults to `process.env`. */
  readonly env?: Env;
}

/** Reads and checks a config file. Never throws for a bad config: every problem is in the result. */
export function loadConfig(file: string, opts: LoadOptions): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const diags = new Diagnostics(new Locator(file, undefined, undefined));
    diags.errorAt({ file, line: 1, column: 1 }, '(file)', `cannot read the config file: ${(err as Error).message}`);
    return { errors: diags.errors(), warnings: [] };
  }
  return loadConfigText(text, file, opts);
}

/**
 * Checks config text; `file` is used in diagnostics as given and to resolve relative plugin paths.
 * Steps: YAML syntax, duplicate keys, env substitution, the file's shape (defaults filled), user
 * plugins, each component against its plugin, the pipelines graph. All problems are collected.
 */
export function loadConfigText(text: string, file: string, opts: LoadOptions): LoadResult {
  const parsed = parseYaml(text);
  const locator = new Locator(file, parsed.doc, parsed.lines);
  const diags = new Diagnostics(locator);
  if (reportYamlProblems(parsed, locator, diags)) return result(diags);
  checkDuplicateKeys(parsed, locator, diags);
  substituteEnv(parsed.doc, opts.env ?? process.env, diags);

  const js = toData(parsed, locator, diags);
  if (!js) return result(diags);
  const data = js.value;
  if (data === null || data === undefined) {
    diags.error([], 'the config file is empty', 'a config needs at least service.pipelines');
    return result(diags);
  }
  checkAgainst(TOP_LEVEL_SCHEMA, data, diags, { at: [] });
  const root = asRecord(data);
  if (!root) return result(diags);
  const service = asRecord(root['service']);
  loadServicePlugins(service?.['plugins'], file, opts.registry, diags);
  const components = checkComponents(root, opts.registry, diags);
  const pipelines = checkPipelines(service?.['pipelines'], components, diags);
  if (diags.hasErrors) return result(diags);
  return { ...result(diags), config: buildConfig(file, root, components, pipelines, locator) };
}

function result(diags: Diagnostics): LoadResult {
  return { errors: diags.errors(), warnings: diags.warnings() };
}
