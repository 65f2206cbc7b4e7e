#!/usr/bin/env node
import process from 'node:process';
import { main } from '../dist/bin/bulkhead.mjs';

process.exitCode = await main(process.argv);
