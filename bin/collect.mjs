#!/usr/bin/env node
// `npx collect`: loads the TypeScript CLI through tsx's loader in this same
// process, so the repository needs no build step and pays no second process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runtime/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
