import { readFile } from 'node:fs/promises';

/**
 * The `request_id` of every complete line of a JSON-lines file another stage is still writing
 * (none if it does not exist yet). A poll can catch a line half-written: only lines ended by a
 * newline are read.
 */
export async function requestIdsInFile(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter(Boolean).map((l) => JSON.parse(l).request_id as string);
}
