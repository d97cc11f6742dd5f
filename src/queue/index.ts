/** Sending queues beyond memory: the durable disk queue and the batch codec it stores with. */
export { DiskQueue, type DiskQueueOptions } from './disk-queue';
export { createSendingQueue, type QueueDeps } from './create-queue';
export { encodeBatch, decodeBatch, encodedItemCount, CODEC_VERSION } from './batch-codec';
export { CorruptRecordError } from './byte-reader';
