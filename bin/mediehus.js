#!/usr/bin/env node
// Runs the TypeScript sources directly, so the same command works from a clone and from an install.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
