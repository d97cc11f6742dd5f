/**
 * How long a test waits for something that normally takes milliseconds. A condition that holds
 * returns at once, so a generous bound costs nothing on a fast machine and keeps a slow, loaded CI
 * machine (2 cores shared with other jobs) from failing a test that would have passed a moment later.
 */
export const PATIENCE_MS = 30_000;

/**
 * Polls `check` every `pollMs` until it holds; rejects naming `what` after `timeoutMs`. Use it for
 * the "did happen" side of a test instead of a fixed sleep followed by an assertion.
 */
export async function waitUntil(check: () => Promise<boolean> | boolean, what = 'condition', timeoutMs = PATIENCE_MS, pollMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
