import type { Network } from './providers/types.ts';

// The guidelines (mission S3–S5) live as a page on the website; every composer links to it, and each account is
// offered a short version with the link for its profile text (S4), cut to what the network's profile allows.

export const GUIDELINES_TITLE = 'Retningslinjer for kommunens sociale medier';
export const GUIDELINES_PATH = '/kommunen/retningslinjer-for-kommunens-sociale-medier';

/** How long a profile's description may be on each network. */
export const PROFILE_TEXT_LIMITS: Record<Network, number> = { facebook: 255, x: 160, mastodon: 500, bluesky: 256 };

/** The short version for an account's profile, with the link, within the network's limit. */
export function profileText(network: Network, accountName: string, baseUrl: string): string {
  const link = `${baseUrl}${GUIDELINES_PATH}`;
  const long = `${accountName}. Vi svarer på spørgsmål hurtigst muligt på hverdage. Vi behandler ikke sager her og tager ikke politisk debat. Kritik er velkommen i en ordentlig tone; krænkende indhold og personsager fjernes. Retningslinjer: ${link}`;
  const short = `Spørgsmål besvares på hverdage. Ingen sagsbehandling eller politisk debat her. Krænkende indhold fjernes. Retningslinjer: ${link}`;
  // X counts a link as 23 characters, whatever its length.
  const length = (s: string) => (network === 'x' ? s.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).length : [...s].length);
  return length(long) <= PROFILE_TEXT_LIMITS[network] ? long : short;
}

export const GUIDELINES_SUMMARY = 'Sådan bruger Tønder Kommune Facebook, X, Mastodon og Bluesky: hvad vi svarer på, hvad vi ikke gør, og hvornår vi skjuler eller fjerner en kommentar.';

export const GUIDELINES_BODY = [
  'Vi bruger sociale medier til nyheder og serviceinformation. Vi bruger dem også til dialog med dig. De er et supplement. Alt, hvad vi skriver her, kan du også finde på toender.dk.',
  '## Vi svarer hurtigt på spørgsmål',
  'Spørger du om kommunens service, svarer vi hurtigst muligt. Vi svarer på hverdage mellem kl. 8 og 15.',
  '## Vi behandler ikke sager her',
  'Skriv ikke om din egen sag eller dit CPR-nummer på sociale medier. Skriv til os sikkert via borger.dk eller ring til Borgerservice på 74 92 92 92.',
  '## Vi tager ikke politisk debat',
  'Vil du drøfte en politisk beslutning, så kontakt byrådets medlemmer direkte. Du finder dem under Politik og indflydelse.',
  '## Kritik er velkommen',
  'Du må gerne være uenig med os og sige det. Vi beder om en ordentlig tone, hvor alle viser respekt for hinanden.',
  '## Det fjerner vi',
  '- Krænkende, anstødeligt eller uhøvisk indhold\n- Chikane og mobning\n- Indlæg, der er i strid med loven\n- Indlæg om personsager, også andres\n- Reklame og spam',
  'Vi skjuler hellere end sletter. Vi noterer altid, hvad vi har fjernet, og hvorfor. Du kan bede om at se notatet om dit eget indlæg.',
  '## Hvem står bag',
  'Kommunikationsafdelingen driver kommunens fælles side på Facebook og profilen på X. Dagplejen, Kultur og Fritid og Biblioteket har egne sider. Kommunikationsafdelingen rådgiver dem.',
].join('\n\n');
