import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` in constant time. Both sides are hashed first so the
 * comparison takes the same time whatever the length of the presented token. The expected token
 * lives only in this closure: it is never part of a message, a log line or an error.
 */
export function bearerChecker(expected: string): (authorization: string | undefined) => boolean {
  const want = createHash('sha256').update(expected, 'utf8').digest();
  return (authorization) => {
    const m = /^Bearer[ \t]+(.*)$/i.exec(authorization ?? '');
    const got = createHash('sha256').update(m ? m[1]!.trim() : '', 'utf8').digest();
    // Always compare, even without a header, so timing does not reveal which check failed.
    return timingSafeEqual(want, got) && m !== null;
  };
}
