import type { Network } from '../providers/types.ts';

// Where a network's consent screen lives. The real networks keep it on another host than their API (Facebook's
// dialog on www.facebook.com, X's on x.com); a contract server (plain http on the loopback address) serves it itself,
// so tests and the demo sign in without reaching the internet.

/** An api_base on this machine over plain http: a contract server. */
export function isContractServer(apiBase: string): boolean {
  if (!URL.canParse(apiBase)) return false;
  const url = new URL(apiBase);
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/**
 * The base the consent screen's path is added to: `https://www.facebook.com/v23.0` (+ `/dialog/oauth`),
 * `https://x.com` (+ `/i/oauth2/authorize`), the Mastodon instance itself (+ `/oauth/authorize`); for a contract
 * server its own api_base. Bluesky has no consent screen here (app passwords).
 */
export function authorizeBase(network: Network, apiBase: string): string {
  const base = apiBase.replace(/\/+$/, '');
  if (isContractServer(base) || network === 'mastodon' || network === 'bluesky') return base;
  if (network === 'x') return 'https://x.com';
  // The Graph version in the api_base (v23.0) is the dialog's version too.
  const version = /\/(v\d+\.\d+)$/.exec(new URL(base).pathname)?.[1];
  return version ? `https://www.facebook.com/${version}` : 'https://www.facebook.com';
}
