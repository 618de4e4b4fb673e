import { clearFailedSignins, findPersonRowByEmail, recordFailedSignin } from '../org/store.ts';
import type { PersonRow } from '../org/tables.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import { showDateTime } from '../platform/time.ts';
import { DEMO_PASSWORD, verifyPassword } from './passwords.ts';

export const MAX_FAILED_SIGNINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export class SignInError extends AppError {
  constructor(message: string, fields: Record<string, string> = {}) {
    super(400, 'signin_failed', message, fields);
  }
}

const WRONG = 'E-mailadressen eller adgangskoden er forkert.';

/** Checks e-mail and password; counts failures per account and locks it for a while after too many. */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; ip: string | null },
  options: { demoMode: boolean },
): Promise<PersonRow> {
  const email = input.email.trim().toLowerCase();
  const fields: Record<string, string> = {};
  if (!email) fields.email = 'Skriv din e-mailadresse.';
  if (!input.password) fields.password = 'Skriv din adgangskode.';
  if (Object.keys(fields).length) throw new SignInError('Udfyld begge felter.', fields);

  const person = await findPersonRowByEmail(db, email);
  const now = Date.now();
  if (person?.locked_until && Date.parse(person.locked_until) > now) {
    throw new SignInError(`For mange forkerte forsøg. Kontoen er låst til ${showDateTime(person.locked_until)}. Prøv igen senere, eller kontakt IT-supporten.`);
  }
  const ok = person ? await verifyPassword(person.password_hash, input.password) : await verifyPassword(null, input.password);

  if (!person || !ok) {
    if (person) {
      const failed = person.failed_signins + 1;
      const lockedUntil = failed >= MAX_FAILED_SIGNINS ? new Date(now + LOCKOUT_MS).toISOString() : null;
      await db.transaction().execute(async (tx) => {
        await recordFailedSignin(tx, person.id, lockedUntil ? 0 : failed, lockedUntil);
        await audit(tx, { actorId: person.id, actorLabel: person.email, action: lockedUntil ? 'signin.locked' : 'signin.failed', objectType: 'person', objectId: person.id, ip: input.ip });
      });
      if (lockedUntil) throw new SignInError(`For mange forkerte forsøg. Kontoen er låst i 15 minutter, til ${showDateTime(lockedUntil)}.`);
    }
    throw new SignInError(WRONG, { password: WRONG });
  }
  if (input.password === DEMO_PASSWORD && !options.demoMode) {
    throw new SignInError('Demo-adgangskoden virker kun i demo-tilstand. Brug din egen adgangskode.', { password: 'Demo-adgangskoden kan ikke bruges her.' });
  }
  if (person.active !== 1) throw new SignInError('Din konto er deaktiveret. Kontakt din leder eller IT-supporten.');
  await db.transaction().execute(async (tx) => {
    await clearFailedSignins(tx, person.id);
    await audit(tx, { actorId: person.id, actorLabel: person.email, ip: input.ip, action: 'signin.password', objectType: 'person', objectId: person.id });
  });
  return person;
}
