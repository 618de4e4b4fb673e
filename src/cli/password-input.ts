import { ValidationError } from '../platform/errors.ts';
import { passwordProblem } from '../signin/passwords.ts';

/** The field name used when a password is refused. */
const PASSWORD_FIELD = 'adgangskode';

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  output.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve) => {
    let typed: string[] = [];
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (ch === '\u0003') {
          finish();
          output.write('Afbrudt.\n');
          // 130 is what a shell reports for a command stopped with Ctrl-C.
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed.push(ch);
      }
    };
    input.on('data', onData);
  });
}

/**
 * Reads a password from standard input: piped text up to the first line break, or typed at a
 * hidden prompt (twice) when stdin is a terminal. Never from the command line, where it would be
 * kept in the shell's history and be visible to other users in the process list.
 */
export async function readPassword(demoMode: boolean): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await promptHidden('Adgangskode: ');
    const again = await promptHidden('Gentag adgangskoden: ');
    if (again !== password) throw new ValidationError({ [PASSWORD_FIELD]: 'De to adgangskoder er ikke ens.' });
  } else {
    password = (await readAll(process.stdin)).split(/\r?\n/)[0] ?? '';
  }
  if (password === '') throw new ValidationError({ [PASSWORD_FIELD]: 'Der kom ingen adgangskode på standard-input.' });
  const problem = passwordProblem(password, demoMode);
  if (problem) throw new ValidationError({ [PASSWORD_FIELD]: problem });
  return password;
}
