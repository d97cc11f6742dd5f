import { parentPort } from 'node:worker_threads';

/** An inflate thread entry point that dies on its first block (InflateThread's restart test). */
parentPort!.once('message', () => process.exit(3));
