#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm start` and `npm test`).
require('../dist/src/cli/main.js').main(process.argv.slice(2));
