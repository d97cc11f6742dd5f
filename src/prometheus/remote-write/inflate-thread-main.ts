import { parentPort } from 'node:worker_threads';
import { uncompressSync } from 'snappy';
import type { InflateAnswer, InflateTask } from './inflate-messages';

/**
 * Entry point of the inflate thread (see inflate-thread.ts). `copyOutputData` makes the binding
 * free its own output vector before returning, here on this thread, so that its allocator reuses
 * that memory for the next block; the copy it returns moves to the caller without another copy.
 */
const OPTIONS = { asBuffer: true, copyOutputData: true } as const;

/** The binding's refusals of bad input start so; anything else (a wrong argument) is a fault of ours. */
const CORRUPT = /^snappy:/;

parentPort!.on('message', (task: InflateTask) => {
  let out: Buffer;
  try {
    out = uncompressSync(new Uint8Array(task.block, 0, task.length), OPTIONS) as Buffer;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const failed: InflateAnswer = { id: task.id, ok: false, corrupt: CORRUPT.test(message), message };
    parentPort!.postMessage(failed);
    return;
  }
  // A buffer that is all of its ArrayBuffer moves as it is; a view into a larger one (small
  // outputs may share Node's pool) is copied out first.
  const whole = out.byteOffset === 0 && out.buffer.byteLength === out.length && out.buffer instanceof ArrayBuffer;
  const bytes = whole ? (out.buffer as ArrayBuffer) : Uint8Array.prototype.slice.call(out).buffer;
  const answer: InflateAnswer = { id: task.id, ok: true, bytes };
  // Moved, not copied: detaching here guards only this thread's typed arrays (see inflate-messages.ts).
  parentPort!.postMessage(answer, [bytes]);
});
