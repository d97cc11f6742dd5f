/**
 * Matching of label and attribute values in config: a plain string matches exactly, a string
 * written `/.../` is a regular expression anchored at both ends (as Prometheus matchers are).
 */
export type ValueMatcher = (value: string | undefined) => boolean;

export function isRegexLiteral(pattern: string): boolean {
  return pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/');
}

export function compileValueMatcher(pattern: string): ValueMatcher {
  if (!isRegexLiteral(pattern)) return (value) => value === pattern;
  const re = new RegExp(`^(?:${pattern.slice(1, -1)})$`);
  return (value) => value !== undefined && re.test(value);
}

/** All `key: pattern` pairs must match; `lookup` returns the item's value for a key. */
export function compileRecordMatcher(
  patterns: Readonly<Record<string, string>>,
): (lookup: (key: string) => string | undefined) => boolean {
  const entries = Object.entries(patterns).map(([k, p]) => [k, compileValueMatcher(p)] as const);
  return (lookup) => {
    for (const [k, m] of entries) if (!m(lookup(k))) return false;
    return true;
  };
}
