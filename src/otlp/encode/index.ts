/** OTLP encoding (protobuf and JSON) of metric batches and events, for the `otlp_http` exporter. */
export { ProtoWriter } from '../../wire/proto-writer';
export { SeriesEncodingCache, JOB_ATTRIBUTE, INSTANCE_ATTRIBUTE, type SeriesEncodingOptions } from './series-encoding';
export { RowGroups, type LeftOut } from './row-groups';
export { MetricsProtoEncoder, SCOPE_NAME } from './metrics-proto';
export { metricsJson } from './metrics-json';
export { LogsProtoEncoder } from './logs-proto';
export { logsJson } from './logs-json';
export { readPartialSuccess, readRpcStatus, type PartialSuccess, type RpcStatus } from './response-reader';
export { LogRecordsRequest, encodeLogRecordsRequest, allOtlpLogRecords } from './log-records-request';
