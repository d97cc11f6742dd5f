/**
 * The fault scenarios run shortened in `npm test` (seconds) and at full length with
 * `NISSA_FAULTS_FULL=1` (`npm run test:faults`).
 */
export const FULL = process.env['NISSA_FAULTS_FULL'] === '1';

/** `full` when running the full suite, `short` otherwise (durations, rates, sizes). */
export function scaled<T>(full: T, short: T): T {
  return FULL ? full : short;
}
