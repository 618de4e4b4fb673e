import type { Network } from './providers/types.ts';

/**
 * The text as it goes to the network. Facebook takes the link as a field of its own (it shows a preview card);
 * the others have no such field, so the link ends the text, unless the editor already put it in.
 */
export function finalText(network: Network, text: string, link: string | null): string {
  const body = text.trim();
  if (!link || network === 'facebook' || body.includes(link)) return body;
  return `${body}\n\n${link}`;
}

/**
 * Whether a post read back from the network is the one we sent. Networks rewrite links (X makes them t.co) and
 * may trim whitespace, so links are left out and whitespace folded before comparing.
 */
export function sameText(sent: string, found: string): boolean {
  const fold = (s: string) => s.replace(/https?:\/\/\S+/g, '').replace(/\s+/g, ' ').trim().normalize('NFC');
  return fold(sent) === fold(found);
}
