#!/usr/bin/env node
'use strict';
// The `medaction` command: runs client.ts through tsx's on-the-fly TypeScript compiler, so the
// command always matches the sources (no build step to forget).
require('tsx/cjs/api').register();
const { main } = require('../client.ts');
main(process.argv).then((code) => {
  process.exitCode = code;
});
