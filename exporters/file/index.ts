import { defineExporter, SIGNALS } from '../../src/api';
import { configSchema, type FileConfig } from './config';
import { FileExporter } from './file-exporter';

/** JSON lines on disk, with size-based rotation. */
export const plugin = defineExporter<FileConfig>({
  type: 'file',
  description: 'Appends every item as one JSON line to a file, with size-based rotation.',
  signals: SIGNALS,
  configSchema,
  create: (ctx) => new FileExporter(ctx),
});
