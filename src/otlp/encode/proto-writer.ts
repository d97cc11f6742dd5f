// The writer is shared with the Prometheus remote-write encoder; it lives in src/wire.
export { ProtoWriter, varintSize } from '../../wire/proto-writer';
