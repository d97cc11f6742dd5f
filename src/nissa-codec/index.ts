/**
 * The Nissa wire format (src/proto/nissa.proto): encoders from the data model and validating,
 * streaming decoders that keep the valid items of a request and count the rest by reason.
 */
export * from './limits';
export { type DecodeResult, MalformedMessage } from './rejections';
export { MetricDecoder } from './decode-metrics';
export { decodeEvents } from './decode-events';
export { decodeAlerts } from './decode-alerts';
export { decodeControl } from './decode-control';
export { encodeMetrics, type EncodedMetrics } from './encode-metrics';
export { encodeEvents, encodeAlerts, encodeControl } from './encode-items';
export { jsonToBinary } from './json';
export { nissaSchema, nissaType, BATCH_TYPE } from './schema';
export { NissaDecoder } from './nissa-decoder';
