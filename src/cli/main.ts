import { Command, CommanderError } from 'commander';
import { ConfigError } from '../platform/config.ts';
import { registerCommands } from './commands.ts';

const program = new Command();
program
  .name('mediehus')
  .description('Mediehus: kommunens hjemmeside, intranet, sociale medier og app fra ét hus.')
  .showHelpAfterError('(skriv --help for hjælp)')
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError) {
    console.error(`Fejl i indstillingerne: ${error.message}`);
    process.exit(2);
  }
  const fields = (error as { fields?: Record<string, string> }).fields;
  if (fields && Object.keys(fields).length) {
    for (const [field, message] of Object.entries(fields)) console.error(`Fejl i ${field}: ${message}`);
    process.exit(1);
  }
  console.error(`Fejl: ${(error as Error).message}`);
  process.exit(1);
}
