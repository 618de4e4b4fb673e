import type { Command } from 'commander';

export function registerModerationCommands(program: Command): void {
  program
    .command('classify')
    .description(
      'Sortér kommentarer efter retningslinjerne for sociale medier. Læser ét JSON-objekt pr. linje på stdin ({"text": "..."}) og skriver kategorier og begrundelser som én JSON-linje pr. kommentar i samme rækkefølge.',
    )
    .action(async () => {
      // Loaded here, and no database: the command starts fast and works wherever the rules are.
      const { classifyLines } = await import('./classify-lines.ts');
      // A reader that stops early (| head) is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      await classifyLines(process.stdin, process.stdout);
    });
}
