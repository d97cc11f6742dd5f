/** Prometheus remote write 1.0: WriteRequest encoding and decoding shared by the exporter and the receiver. */
export { SeriesCache } from './series-cache';
export { WriteRequestEncoder, samplesOfRow, isExportable, formatFloat, type EncoderOptions } from './write-request-encoder';
export { WriteRequestDecoder, type DecodeStats } from './write-request-decoder';
export { compressBodySync, snappyUncompressedLength } from './snappy-body';
export { InflateThread } from './inflate-thread';
export { prometheusMetricName } from './naming';
export { MetadataType } from './metadata';
