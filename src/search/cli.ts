import type { Command } from 'commander';
import { withDatabase } from '../cli/support.ts';

export function registerSearchCommands(program: Command): void {
  const searchCommand = program.command('search').description('Arbejd med søgningen på hjemmesiden og subsites.');

  searchCommand
    .command('reindex')
    .description('Byg søgeindekset forfra ud fra alt udgivet indhold, fx efter en opgradering eller en gendannelse.')
    .action(async () => {
      // Loaded here: the stemmer and the Markdown reader would slow the start of every other command.
      const { reindexSearch } = await import('./indexing.ts');
      await withDatabase(async (db) => {
        const started = Date.now();
        const count = await reindexSearch(db);
        console.log(`Søgeindekset er bygget forfra: ${count} ${count === 1 ? 'side' : 'sider'} kan findes (${((Date.now() - started) / 1000).toFixed(1)} s).`);
      });
    });
}
