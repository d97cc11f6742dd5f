import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import type { Diagnostics } from './diagnostics';
import type { Locator, YamlPath } from './locate';

/** The path shown for problems of the YAML text itself, which have no key yet. */
export const YAML_PATH = '(yaml)';

export interface ParsedYaml {
  readonly doc: Document;
  readonly lines: LineCounter;
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  // Duplicate keys are found by our own walk so they get a YAML path and point at the first one.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: true });
  return { doc, lines };
}

/** Reports yaml's own errors and warnings; returns whether there were errors (then stop: the tree is unreliable). */
export function reportYamlProblems(parsed: ParsedYaml, locator: Locator, diags: Diagnostics): boolean {
  for (const err of parsed.doc.errors) diags.errorAt(yamlLocation(err, locator), YAML_PATH, yamlMessage(err));
  for (const warn of parsed.doc.warnings) {
    diags.warning([], yamlMessage(warn));
  }
  return parsed.doc.errors.length > 0;
}

/** Every key written twice in one mapping, at the second occurrence. */
/** The document as plain data; undefined (and an error) when yaml cannot build it, e.g. an alias to no anchor. */
export function toData(parsed: ParsedYaml, locator: Locator, diags: Diagnostics): { value: unknown } | undefined {
  try {
    return { value: parsed.doc.toJS({ maxAliasCount: 100 }) };
  } catch (err) {
    diags.errorAt(locator.at(unresolvedAlias(parsed.doc) ?? 0), YAML_PATH, (err as Error).message);
    return undefined;
  }
}

/** Offset of the first alias whose anchor is missing, which is what makes toJS throw. */
function unresolvedAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc)) return undefined;
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

export function checkDuplicateKeys(parsed: ParsedYaml, locator: Locator, diags: Diagnostics): void {
  walk(parsed.doc.contents, []);

  function walk(node: unknown, path: YamlPath): void {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, offset);
          walk(pair.value, [...path, key]);
        } else {
          diags.errorAt(locator.at(offset), [...path, key], `duplicate key "${key}"`, `first defined at line ${locator.at(first).line}`);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
  }
}

function yamlLocation(err: YAMLError, locator: Locator) {
  const pos = err.linePos?.[0];
  return pos ? { ...locator.at(0), line: pos.line, column: pos.col } : locator.at(err.pos[0]);
}

/** yaml appends ` at line L, column C:` and a code frame; the location is printed separately. */
function yamlMessage(err: YAMLError): string {
  if (err.code === 'MULTIPLE_DOCS') return 'a config file holds one YAML document (found a second "---")';
  return err.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}
