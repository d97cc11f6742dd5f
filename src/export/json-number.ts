/**
 * A number as JSON text. JSON has no NaN or infinities, so they become the strings "NaN", "+Inf"
 * and "-Inf" (the spelling Prometheus uses), which every JSON parser reads back without a custom
 * reviver. Finite numbers use JavaScript's shortest round-trip form.
 */
export function jsonNumber(n: number): string {
  if (Number.isFinite(n)) return String(n);
  if (Number.isNaN(n)) return '"NaN"';
  return n > 0 ? '"+Inf"' : '"-Inf"';
}

/** A typed array of numbers as a JSON array, non-finite values spelled as in {@link jsonNumber}. */
export function jsonNumberArray(values: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + jsonNumber(values[i]!);
  return out + ']';
}
