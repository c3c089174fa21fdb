#!/usr/bin/env node
// Entry point of the `vanthu` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
