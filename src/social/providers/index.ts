import { blueskyProvider } from './bluesky.ts';
import { facebookProvider } from './facebook.ts';
import { mastodonProvider } from './mastodon.ts';
import type { Network, SocialProvider } from './types.ts';
import { xProvider } from './x.ts';

const PROVIDERS: Record<Network, SocialProvider> = { facebook: facebookProvider, x: xProvider, mastodon: mastodonProvider, bluesky: blueskyProvider };

export const providerFor = (network: Network): SocialProvider => PROVIDERS[network];
