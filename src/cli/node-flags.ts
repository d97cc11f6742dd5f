/**
 * The V8 options the `nissa` launcher (bin/nissa.js, also `npm start`) starts Node with. The
 * launcher's exec line must pass exactly these: test/cli/launcher.test.ts checks it.
 *
 * `--initial-old-space-size=128`: V8 then starts no full collection while its old generation plus
 * the external memory allocated since the last one stay under 128 MiB. Without a floor, the limit
 * after a full collection is about twice the live heap (about 24 MB in a relay), and V8 counts
 * every buffer allocated since then (inflated request bodies, batch columns) against it until a
 * scavenge frees them: at a million samples/s that is 20-30 MB between two scavenges, so a relay
 * could fall into a full collection every 100 ms and lose 15-40 % of its throughput (measured over
 * whole relay bench runs: 13-31 full collections in such runs, 2-11 in the others, none with the
 * floor). The cost: V8's heap no longer shrinks below its initial size (idle resident memory
 * 92 MiB against 85), and garbage may stand until the floor fills, so the load supervisor collects
 * before memory raises its mode. The option cannot be set from NODE_OPTIONS or at run time.
 */
export const NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
