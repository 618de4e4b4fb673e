import { Help, type Command } from 'commander';

const TITLES: Record<string, string> = {
  'Usage:': 'Brug:',
  'Arguments:': 'Argumenter:',
  'Options:': 'Tilvalg:',
  'Global Options:': 'Fælles tilvalg:',
  'Commands:': 'Kommandoer:',
};

// commander has no message catalogue, so its few fixed parse errors are rewritten on the way out.
const ERRORS: [RegExp, string][] = [
  [/^error: unknown option '([^']*)'/, "Fejl: ukendt tilvalg '$1'"],
  [/^error: unknown command '([^']*)'/, "Fejl: ukendt kommando '$1'"],
  [/^error: missing required argument '([^']*)'/, "Fejl: argumentet '$1' mangler"],
  [/^error: required option '([^']*)' not specified/, "Fejl: tilvalget '$1' skal angives"],
  [/^error: option '([^']*)' argument missing/, "Fejl: tilvalget '$1' mangler en værdi"],
  [/^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./, 'Fejl: for mange argumenter (ventede $2, fik $3)'],
  [/\(Did you mean one of ([^?]*)\?\)/, '(Mente du en af $1?)'],
  [/\(Did you mean ([^?]*)\?\)/, '(Mente du $1?)'],
  [/^error: /, 'Fejl: '],
];

const danishUsage = (usage: string) => usage.replace('[options]', '[tilvalg]').replace('[command]', '[kommando]');

export function danishError(message: string): string {
  let text = message;
  for (const [pattern, replacement] of ERRORS) text = text.replace(pattern, replacement);
  return text;
}

/**
 * Makes commander's help and parse errors Danish. Must run before any subcommand is added,
 * because subcommands copy these settings when they are created.
 */
export function useDanish(program: Command): void {
  program
    .helpOption('-h, --help', 'Vis hjælp til kommandoen.')
    .helpCommand('help [kommando]', 'Vis hjælp til en kommando.')
    .configureHelp({
      styleTitle: (title) => TITLES[title] ?? title,
      styleUsage: (usage) => danishUsage(usage),
      subcommandTerm(this: Help, command: Command) {
        return danishUsage(Help.prototype.subcommandTerm.call(this, command));
      },
    })
    .configureOutput({ outputError: (text, write) => write(danishError(text)) });
}
