import { CredentialSession, XRPCError } from '@atproto/api';
import { ValidationError } from '../../platform/errors.ts';
import type { Tokens } from '../tokens.ts';

// Bluesky has no sign-in for a service like this one to send people to, so the account's editor makes an app
// password in Bluesky (Indstillinger → Privatliv og sikkerhed → App-adgangskoder) and types it here once.
// com.atproto.server.createSession turns it into a session's access and refresh JWTs; the password itself is used
// for that one request and never stored or shown again.

/** Bluesky's app passwords look like "abcd-efgh-ijkl-mnop"; the account's own password is refused. */
const APP_PASSWORD = /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/i;

export interface BlueskySignIn {
  handle: string;
  appPassword: string;
}

export function readBlueskySignIn(raw: { handle?: unknown; appPassword?: unknown }): BlueskySignIn {
  const handle = typeof raw.handle === 'string' ? raw.handle.trim().replace(/^@/, '') : '';
  const appPassword = typeof raw.appPassword === 'string' ? raw.appPassword.trim() : '';
  const errors: Record<string, string> = {};
  if (!handle) errors.handle = 'Skriv kontoens brugernavn på Bluesky, fx toender.dk';
  else if (handle.length > 253 || !/^[\w.:-]+$/.test(handle)) errors.handle = 'Skriv brugernavnet som fx toender.dk';
  if (!appPassword) errors.appPassword = 'Skriv app-adgangskoden';
  else if (!APP_PASSWORD.test(appPassword)) errors.appPassword = 'Brug en app-adgangskode (fire grupper af fire tegn adskilt af bindestreger), ikke kontoens egen adgangskode';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { handle, appPassword };
}

/** Wraps fetch so the one sign-in request has the call's time limit. */
const timed = (timeoutMs: number): typeof fetch => (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });

export async function blueskySession(input: { apiBase: string; signIn: BlueskySignIn; timeoutMs: number }): Promise<Tokens> {
  const session = new CredentialSession(new URL(input.apiBase), timed(input.timeoutMs));
  try {
    await session.login({ identifier: input.signIn.handle, password: input.signIn.appPassword });
  } catch (error) {
    if (error instanceof XRPCError && (error.status === 401 || error.error === 'AuthenticationRequired')) {
      throw new ValidationError({ appPassword: 'Bluesky godkendte ikke brugernavnet og app-adgangskoden. Tjek begge, eller lav en ny app-adgangskode.' });
    }
    if (error instanceof XRPCError && error.status === 429) {
      throw new ValidationError({ appPassword: 'Bluesky har bedt os vente, fordi der er forsøgt mange gange. Prøv igen om et par minutter.' });
    }
    if (error instanceof XRPCError && (error.error === 'AccountTakedown' || error.error === 'AccountDeactivated')) {
      throw new ValidationError({ handle: 'Kontoen er deaktiveret eller fjernet på Bluesky.' });
    }
    throw new ValidationError({ appPassword: 'Bluesky kunne ikke nås. Prøv igen om lidt.' });
  }
  const data = session.session;
  if (!data) throw new ValidationError({ appPassword: 'Bluesky kunne ikke nås. Prøv igen om lidt.' });
  return { accessToken: data.accessJwt, refreshToken: data.refreshJwt };
}
