import { createOAuthAPIClient, createRestAPIClient, MastoHttpError } from 'masto';
import { readSetting, writeSetting } from '../../platform/settings-store.ts';
import type { SocialContext } from '../context.ts';
import type { Tokens } from '../tokens.ts';
import { authorizeBase } from './authorize-base.ts';
import { ConnectError, unreachable } from './errors.ts';

// Mastodon through the instance's own sign-in (https://docs.joinmastodon.org/client/token/): Mediehus registers itself
// as an app once per instance (POST /api/v1/apps), keeps the app's client id and secret sealed in the settings table
// under a key per instance, sends the person to /oauth/authorize and exchanges the code at /oauth/token. A
// registration made for another return address (the public address changed) is replaced.

/** What the adapter needs: the account (and looking authors up), its statuses and notifications, posting with images, blocking authors. */
export const MASTODON_SCOPES = 'read:accounts read:statuses read:notifications write:statuses write:media write:blocks';
const APP_NAME = 'Mediehus';

interface MastodonApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
}

/** The settings key of an instance's registration: one per origin, whatever path the api_base has. */
export const mastodonAppKey = (instance: string): string => `social.mastodon.app.${new URL(instance).origin}`;

async function storedApp(ctx: Pick<SocialContext, 'db' | 'secrets'>, key: string): Promise<MastodonApp | null> {
  const sealed = await readSetting(ctx.db, key);
  if (!sealed || !ctx.secrets) return null;
  try {
    return JSON.parse(ctx.secrets.open(sealed, key)) as MastodonApp;
  } catch {
    return null; // sealed under another key: register again
  }
}

/** The app registered at the instance for this return address, registering it the first time. */
export async function mastodonApp(ctx: Pick<SocialContext, 'db' | 'secrets' | 'baseUrl' | 'timeoutMs'>, instance: string, redirectUri: string): Promise<{ id: string; secret: string }> {
  if (!ctx.secrets) throw new ConnectError('not_available', 'Mediehus har ingen nøgle til at gemme adgangsnøgler. Platformsejeren skal sætte MEDIEHUS_SECRET_KEY.');
  const key = mastodonAppKey(instance);
  const known = await storedApp(ctx, key);
  if (known && known.redirectUri === redirectUri && known.scopes === MASTODON_SCOPES) return { id: known.clientId, secret: known.clientSecret };
  let made;
  try {
    made = await createRestAPIClient({ url: instance, timeout: ctx.timeoutMs }).v1.apps.create({ clientName: APP_NAME, redirectUris: redirectUri, scopes: MASTODON_SCOPES, website: ctx.baseUrl });
  } catch (error) {
    if (error instanceof MastoHttpError && error.statusCode === 422) {
      throw new ConnectError('configuration', 'Mastodon-serveren ville ikke registrere Mediehus som app. Platformsejeren skal tjekke, at MEDIEHUS_BASE_URL er Mediehus’ offentlige adresse.');
    }
    throw unreachable('Mastodon-serveren');
  }
  if (!made.clientId || !made.clientSecret) throw unreachable('Mastodon-serveren');
  const app: MastodonApp = { clientId: made.clientId, clientSecret: made.clientSecret, redirectUri, scopes: MASTODON_SCOPES };
  await writeSetting(ctx.db, key, ctx.secrets.seal(JSON.stringify(app), key));
  return { id: app.clientId, secret: app.clientSecret };
}

export function mastodonAuthorizeUrl(input: { apiBase: string; clientId: string; redirectUri: string; state: string }): string {
  const url = new URL(`${authorizeBase('mastodon', input.apiBase)}/oauth/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', MASTODON_SCOPES);
  url.searchParams.set('state', input.state);
  // The consent screen in Danish where the instance has it.
  url.searchParams.set('lang', 'da');
  return url.toString();
}

export async function mastodonTokens(
  ctx: Pick<SocialContext, 'db' | 'timeoutMs'>,
  input: { apiBase: string; client: { id: string; secret: string }; redirectUri: string; code: string },
): Promise<Tokens> {
  try {
    const token = await createOAuthAPIClient({ url: input.apiBase, timeout: ctx.timeoutMs }).token.create({
      grantType: 'authorization_code',
      clientId: input.client.id,
      clientSecret: input.client.secret,
      redirectUri: input.redirectUri,
      code: input.code,
      scope: MASTODON_SCOPES,
    });
    return { accessToken: token.accessToken, refreshToken: null };
  } catch (error) {
    if (error instanceof MastoHttpError && error.statusCode === 401) {
      // The instance no longer knows the app (removed by its admins): register anew next time.
      await ctx.db.deleteFrom('settings').where('key', '=', mastodonAppKey(input.apiBase)).execute();
      throw new ConnectError('configuration', 'Mastodon-serveren kendte ikke længere Mediehus som app. Prøv igen – så registrerer Mediehus sig på ny.');
    }
    if (error instanceof MastoHttpError && error.statusCode === 400) {
      throw new ConnectError('refused_code', 'Mastodon-serveren godkendte ikke koden fra login. Den kan være udløbet eller allerede brugt. Prøv igen.');
    }
    throw unreachable('Mastodon-serveren');
  }
}
