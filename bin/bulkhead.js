#!/usr/bin/env node
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const { main } = require('../dist/bin/bulkhead.cjs');

process.exitCode = await main(process.argv);
