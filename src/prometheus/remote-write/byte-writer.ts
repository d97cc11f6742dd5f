// The remote-write encoder shares the OTLP encoders' protobuf writer (src/wire). The old name is
// kept for the disk queue's codec, which imports it from here.
export { ProtoWriter as ByteWriter, varintSize } from '../../wire/proto-writer';
