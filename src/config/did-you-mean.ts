/**
 * Edit distance (optimal string alignment: a swap of two neighbours costs 1, so `recievers` is one
 * step from `receivers`).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a plausible typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length * 0.4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * A hint for a name that is not one of `candidates`: `did you mean "otlp"? known receiver types:
 * otlp, prometheus`. `label` names the list; the list is left out when it would be long.
 */
export function suggest(name: string, candidates: readonly string[], label: string): string {
  const match = closest(name, candidates);
  const parts: string[] = [];
  if (match !== undefined) parts.push(`did you mean "${match}"?`);
  if (candidates.length === 0) parts.push(`${label}: none`);
  else if (candidates.length <= 12) parts.push(`${label}: ${candidates.join(', ')}`);
  return parts.join(' ');
}
