/**
 * Globs for topics and metric names. Bus topics are dot-separated (`telemetry.seed.health`), so
 * `*` matches within one segment and `**` across segments (like RabbitMQ's `*` and `#`). Names
 * without dots (Prometheus metric names) are one segment, so `http_*` works as expected there.
 */
export function globToRegExp(glob: string): RegExp {
  let src = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        src += '.*';
        i++;
      } else src += '[^.]*';
    } else if (c === '?') src += '[^.]';
    else src += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(src + '$');
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** A predicate on names: exact when the pattern has no wildcard (the common, cheapest case). */
export function compileGlob(pattern: string): (name: string) => boolean {
  if (!isGlob(pattern)) return (name) => name === pattern;
  const re = globToRegExp(pattern);
  return (name) => re.test(name);
}
