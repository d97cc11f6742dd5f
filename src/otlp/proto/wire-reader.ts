// The OTLP decoders read with the protobuf reader they share with the nissa codec (src/wire);
// its default errors are the OTLP ones (`WireError` with a fault code and byte offset).
export { fieldTypes, WireError, WireReader, WT_I32, WT_I64, WT_LEN, WT_VARINT } from '../../wire/wire-reader';
export type { WireFault } from '../../wire/wire-reader';
