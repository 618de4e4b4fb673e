// npm run bench -- <name>: runs bench/<name>.ts; each bench prints its figures as one JSON object on its last line.
import fs from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
const dir = path.dirname(new URL(import.meta.url).pathname);
const available = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`Brug: npm run bench -- <navn>   (findes: ${available.join(', ')})`);
  process.exit(2);
}
await import(path.join(dir, `${name}.ts`));
