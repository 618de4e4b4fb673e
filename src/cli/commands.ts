import type { Command } from 'commander';
import { loadConfig } from '../platform/config.ts';
import { createDb } from '../platform/db.ts';
import { migrateToLatest } from '../platform/migrate.ts';
import { DEMO_PEOPLE, seedDemo } from '../demo/seed.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerBackupCommands } from './backup-commands.ts';
import { useDanish } from './danish.ts';
import { registerUserCommands } from './user-commands.ts';
import { registerSearchCommands } from '../search/cli.ts';
import { registerModerationCommands } from '../moderation/cli.ts';

export function registerCommands(program: Command): void {
  useDanish(program);

  program
    .command('serve')
    .description('Start Mediehus: migrerer databasen, lægger demo-kommunen ind første gang og lytter på PORT.')
    .action(async () => {
      const config = loadConfig();
      // Loaded here rather than at the top: the web stack is most of the start-up time of every other command.
      const { startServer } = await import('../platform/server.ts');
      const started = Date.now();
      const running = await startServer(config);
      const lines = [
        '',
        `Mediehus kører på ${running.url}  (klar efter ${Date.now() - started} ms)`,
        `  Hjemmeside:      ${running.url}/`,
        `  Intranet:        ${running.url}/intranet`,
        `  Administration:  ${running.url}/admin`,
        `  Database:        ${config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL'}`,
      ];
      if (config.demoMode) {
        lines.push('', 'Demo-brugere (adgangskode: demo):');
        for (const p of DEMO_PEOPLE) lines.push(`  ${p.email.padEnd(32)} ${p.description}`);
      }
      console.log(lines.join('\n') + '\n');
      const shutdown = async () => {
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  program
    .command('migrate')
    .description('Bring databasens skema op til nyeste version.')
    .action(async () => {
      const db = createDb(loadConfig().database);
      try {
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `Kørte ${applied.length} migrering(er): ${applied.join(', ')}` : 'Databasen er allerede opdateret.');
      } finally {
        await db.destroy();
      }
    });

  program
    .command('seed-demo')
    .description('Læg demo-kommunen (Tønder Kommune) ind. Gør intet, hvis den allerede findes.')
    .action(async () => {
      const config = loadConfig();
      if (!config.demoMode) throw new Error('Demo-kommunen kan ikke lægges ind, når NODE_ENV=production.');
      const db = createDb(config.database);
      try {
        await migrateToLatest(db);
        const seeded = await seedDemo(db);
        console.log(seeded ? 'Demo-kommunen er lagt ind.' : 'Demo-kommunen findes allerede; intet er ændret.');
      } finally {
        await db.destroy();
      }
    });

  registerUserCommands(program);
  registerBackupCommands(program);
  registerAuditCommands(program);
  registerSearchCommands(program);
  registerModerationCommands(program);
}
