import argon2 from 'argon2';

// argon2id with the library's defaults (64 MiB, 3 passes): OWASP's recommended floor.
export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** The demo password works only while demo mode is on: never in production. */
export const DEMO_PASSWORD = 'demo';

export function passwordProblem(password: string, demoMode: boolean): string | null {
  if (password === DEMO_PASSWORD && demoMode) return null;
  if (password.length < 12) return 'Adgangskoden skal være mindst 12 tegn.';
  if (password.length > 200) return 'Adgangskoden må højst være 200 tegn.';
  return null;
}
