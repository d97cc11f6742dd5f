/**
 * A refusal travels back through every stage upstream of the one that raised it. Only that
 * first stage should count it as its own failure (for its breaker), so the first wrapper to see
 * an error marks it; wrappers further up see the mark and treat it as a propagated refusal.
 */
const ATTRIBUTED = Symbol('nissa.attributed');

export function isAttributed(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[ATTRIBUTED] === true;
}

export function markAttributed<E>(err: E): E {
  if (typeof err === 'object' && err !== null && Object.isExtensible(err)) (err as Record<symbol, unknown>)[ATTRIBUTED] = true;
  return err;
}
