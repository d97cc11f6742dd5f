/**
 * A snappy block for the inflate thread: `block[0, length)`. The block is shared memory, never
 * moved: moving (detaching) an ArrayBuffer even once makes V8 guard every typed-array access of
 * the sending isolate against detachment from then on (a DataView loop ran 3x slower), and the
 * event loop's decoding and encoding took 10% more CPU.
 */
export interface InflateTask {
  readonly id: number;
  readonly block: SharedArrayBuffer;
  readonly length: number;
}

/**
 * The inflated bytes of task `id` (all of `bytes`, moved from the thread), or why it failed:
 * `corrupt` when the block is not snappy (the sender's fault), else the binding's message.
 */
export type InflateAnswer =
  | { readonly id: number; readonly ok: true; readonly bytes: ArrayBuffer }
  | { readonly id: number; readonly ok: false; readonly corrupt: boolean; readonly message: string };
