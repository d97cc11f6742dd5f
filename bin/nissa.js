#!/bin/sh
':' //; exec node --initial-old-space-size=128 "$0" "$@"
'use strict';
// Run as a shell script (the `nissa` command, `npm start`), the line above starts Node on this
// file with the V8 options of src/cli/node-flags.ts (why they matter is said there); Node itself
// reads that line as a string and a comment. `node bin/nissa.js` also works, without them.
// The CLI is compiled to dist/ by `npm run build` (run by `npm start` and `npm test`).
require('../dist/src/cli/main.js').main(process.argv.slice(2));
