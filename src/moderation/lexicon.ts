import { lookupKey, wordForm } from './normalise.ts';

// Every word list of every rule (words, near, unless) in one letter tree, so a comment's words are looked up in
// a single pass however many rules there are. A rule word is a phrase of tokens; each token is exact ("idiot"),
// a beginning ("lorte*"), any one word ("*"), or a pattern with "*" inside ("*idiot").

// A comment's word is found by its loose lookup key, then its form must fit the rule word's form exactly, except
// that a stretched letter in the comment ("idioooot") stands for the rule's single or double letter.
type TokenTest = { kind: 'exact' | 'prefix'; key: string; form: RegExp } | { kind: 'any' } | { kind: 'glob'; form: RegExp };

interface Phrase {
  list: number;
  tests: TokenTest[];
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Phrases whose first token is exactly the path to this node. */
  exact: Phrase[];
  /** Phrases whose first token begins with the path to this node. */
  prefix: Phrase[];
}

/** Tokens `first` to `last` of the comment. */
export interface TokenSpan {
  first: number;
  last: number;
}

const newNode = (): TrieNode => ({ next: new Map(), exact: [], prefix: [] });

/** A rule word split into tokens as the comment is, with "*" kept; empty when it holds no letter or digit. */
export function ruleWordTokens(word: string): string[] {
  return word
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}*]+/u)
    .filter(Boolean);
}

const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
const SAME_LETTER_RUN = /(.)\1*/gsu;

/** The rule word's form as an expression over a comment's word forms (without anchors). */
function formSource(ruleWord: string): string {
  return wordForm(ruleWord).replace(SAME_LETTER_RUN, (run) => {
    const letter = run[0]!;
    const stretched = letter.toUpperCase();
    if (stretched === letter) return escape(run);
    const written = run.length === 1 ? letter : letter + letter;
    // A stretched "a" may be a stretched "å" too: "haaaaber".
    const alternatives = letter === 'å' ? [written, stretched, 'A'] : [written, stretched];
    return `(?:${alternatives.join('|')})`;
  });
}

function tokenTest(token: string): TokenTest {
  if (/^\*+$/.test(token)) return { kind: 'any' };
  const star = token.indexOf('*');
  if (star === -1) return { kind: 'exact', key: lookupKey(wordForm(token)), form: new RegExp(`^${formSource(token)}$`, 'u') };
  const beginning = token.slice(0, -1);
  if (star === token.length - 1 && !beginning.includes('*')) return { kind: 'prefix', key: lookupKey(wordForm(beginning)), form: new RegExp(`^${formSource(beginning)}`, 'u') };
  const source = token
    .split('*')
    .map((part) => (part ? formSource(part) : ''))
    .join('.*');
  return { kind: 'glob', form: new RegExp(`^${source}$`, 'u') };
}

function passes(test: TokenTest, key: string, form: string): boolean {
  switch (test.kind) {
    case 'exact':
      return key === test.key && test.form.test(form);
    case 'prefix':
      return key.startsWith(test.key) && test.form.test(form);
    case 'any':
      return true;
    case 'glob':
      return test.form.test(form);
  }
}

export class Lexicon {
  private readonly root = newNode();
  /** Phrases whose first token is "*" or a pattern: tried at every word. */
  private readonly everywhere: Phrase[] = [];
  private lists = 0;

  /** Adds a word list and returns its number; throws on a word without letters or digits. */
  add(words: readonly string[]): number {
    const list = this.lists++;
    for (const word of words) {
      const tokens = ruleWordTokens(word);
      if (!tokens.length) throw new Error(`ordet "${word}" indeholder ingen bogstaver eller tal.`);
      const tests = tokens.map(tokenTest);
      const phrase: Phrase = { list, tests };
      const head = tests[0]!;
      if (head.kind === 'any' || head.kind === 'glob') {
        this.everywhere.push(phrase);
        continue;
      }
      let node = this.root;
      // By UTF-16 unit, as `find` walks the comment's words.
      for (let i = 0; i < head.key.length; i++) {
        const char = head.key[i]!;
        let next = node.next.get(char);
        if (!next) node.next.set(char, (next = newNode()));
        node = next;
      }
      (head.kind === 'exact' ? node.exact : node.prefix).push(phrase);
    }
    return list;
  }

  /** Where each list's words occur among the comment's words (their lookup keys and forms), by list number. */
  find(keys: readonly string[], forms: readonly string[]): TokenSpan[][] {
    const found: TokenSpan[][] = Array.from({ length: this.lists }, () => []);
    const tryPhrase = (phrase: Phrase, at: number) => {
      const { tests } = phrase;
      if (at + tests.length > keys.length) return;
      for (let k = 0; k < tests.length; k++) if (!passes(tests[k]!, keys[at + k]!, forms[at + k]!)) return;
      found[phrase.list]!.push({ first: at, last: at + tests.length - 1 });
    };
    for (let at = 0; at < keys.length; at++) {
      const key = keys[at]!;
      let node: TrieNode | undefined = this.root;
      for (let i = 0; node; i++) {
        for (const phrase of node.prefix) tryPhrase(phrase, at);
        if (i === key.length) {
          for (const phrase of node.exact) tryPhrase(phrase, at);
          break;
        }
        node = node.next.get(key[i]!);
      }
      for (const phrase of this.everywhere) tryPhrase(phrase, at);
    }
    return found;
  }
}
