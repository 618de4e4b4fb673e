import { compileDkfds } from '../src/platform/styles.ts';

const { bytes, ms } = compileDkfds();
console.log(`DKFDS-stilark bygget: ${Math.round(bytes / 1024)} KiB på ${ms} ms`);
