import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from './types';

/** A YAML path: map keys and sequence indexes, e.g. `['service', 'pipelines', 'metrics', 'receivers', 0]`. */
export type YamlPath = readonly (string | number)[];

/** `service.pipelines.metrics.receivers[0]`; the document itself is `(root)`. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}

/** Splits an ajv instancePath (a JSON pointer) into path segments, numbers for array indexes. */
export function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cursor: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(cursor) && /^[0-9]+$/.test(key) ? Number(key) : key;
    out.push(segment);
    cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Record<string | number, unknown>)[segment] : undefined;
  }
  return out;
}

/** Maps YAML paths to line and column through the parsed document's node ranges. */
export class Locator {
  constructor(
    private readonly file: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter | undefined,
  ) {}

  at(offset: number): SourceLocation {
    if (!this.lines) return { file: this.file, line: 1, column: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /**
   * Where `path` is written: the key of a map entry (so the line reads `key: value`), the item of a
   * sequence. A path that is not in the file (a default, a missing key) resolves to its deepest
   * ancestor that is.
   */
  locate(path: YamlPath): SourceLocation {
    let node: unknown = this.doc?.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      if (isAlias(node) && this.doc) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return this.at(offset);
  }
}

function rangeStart(node: unknown): number | undefined {
  return node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined;
}
