import { createItem, transition } from '../content/service.ts';
import type { ItemType, Placement } from '../content/types.ts';
import { viewerOf } from '../intranet/audience.ts';
import { acknowledge } from '../mustreads/service.ts';
import type { JobRole } from '../org/model.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { actorFor } from '../signin/actors.ts';

// Must-reads on TønderPortalen (I4): written by the intranet editor and approved by the website editor, as the rest
// of the intranet's demo content, and acknowledged by some of the demo people through the same service as the
// button. Anne Jensen (medarbejder) has the guidelines waiting, Peter Hansen (leder) the procedure for managers,
// and he follows his own unit's must-read; Sofie Nielsen (some) follows the guidelines her department owns.

interface DemoMustRead {
  type: ItemType;
  owner: string;
  title: string;
  summary: string;
  body: string;
  contact: string;
  topics: string[];
  audience: { everyone?: boolean; roles?: JobRole[]; units?: string[] };
  remindAfterDays: number | null;
  /** E-mail addresses of those who have read and understood it. */
  acknowledgedBy: string[];
}

export const DEMO_MUST_READS: DemoMustRead[] = [
  {
    type: 'page',
    owner: 'kommunikation',
    title: 'Retningslinjer for brug af sociale medier',
    summary: 'Sådan bruger du sociale medier, når du skriver om dit arbejde, og når du skriver på kommunens vegne. Gælder for alle ansatte.',
    body: [
      'Tønder Kommune vil gerne have, at du fortæller om dit arbejde. Retningslinjerne gælder for alle ansatte og bygger på kommunens politik for brug af digitale medier.',
      '## Når du skriver privat',
      '- Du taler på egne vegne. Skriv gerne, at holdningerne er dine egne.\n- Del aldrig oplysninger om borgere – heller ikke uden navn, hvis de kan genkendes.\n- Del ikke billeder af børn, borgere eller kolleger uden samtykke. For børn skal forældrene give det.\n- Som offentligt ansat har du ytringsfrihed, også om dit eget arbejdsområde. Du må bare ikke videregive fortrolige oplysninger.',
      '## Når du skriver for kommunen',
      '- Kun kommunens egne konti og de konti, Kommunikationsafdelingen har godkendt, taler på kommunens vegne.\n- Svar på henvendelser inden for to hverdage, også når svaret er, at sagen er sendt videre.\n- Spørgsmål om en konkret sag flyttes til en sikker kanal, fx Digital Post.',
      '## Hvis noget går galt',
      'Kontakt Kommunikationsafdelingen, hvis du ser et opslag, der deler personoplysninger, eller en debat, der løber løbsk. Ved en krise samler Kommunikationsafdelingen kommunens beskeder på alle kanaler.',
    ].join('\n\n'),
    contact: 'Kommunikationsafdelingen, tlf. 74 92 90 10',
    topics: ['Sociale medier', 'Arbejdsplads'],
    audience: { everyone: true },
    remindAfterDays: 7,
    acknowledgedBy: [
      'ejer@demo.mediehus.dk',
      'web@demo.mediehus.dk',
      'some@demo.mediehus.dk',
      'leder@demo.mediehus.dk',
      'hean@toender.dk',
      'tola@toender.dk',
      'kamo@toender.dk',
      'mapo@toender.dk',
      'susc@toender.dk',
      'bimo@toender.dk',
      'lecl@toender.dk',
      'sito@toender.dk',
      'riso@toender.dk',
      'olda@toender.dk',
    ],
  },
  {
    type: 'news',
    owner: 'sekretariat-it-og-hr',
    title: 'Ny procedure for indberetning af arbejdsskader',
    summary: 'Fra 1. januar anmelder du som leder arbejdsskader i EASY Arbejdsskade senest 9 dage efter skaden. Her er de nye trin.',
    body: [
      'Arbejdsskader skal nu anmeldes digitalt af nærmeste leder i EASY Arbejdsskade. HR kan ikke længere gøre det for dig.',
      '## Sådan gør du',
      '1. Tal med medarbejderen samme dag, og skriv ned, hvad der skete.\n2. Anmeld skaden i EASY Arbejdsskade senest 9 dage efter, at den er sket.\n3. Send kvitteringen til HR på hr@toender.dk, så skaden kommer med i kommunens arbejdsmiljøstatistik.\n4. Tal med arbejdsmiljørepræsentanten om, hvordan en lignende skade kan undgås.',
      'Nærved-hændelser registrerer du fortsat i arbejdsmiljøsystemet. De skal ikke anmeldes i EASY.',
      'HR holder et kort onlinekursus i den nye procedure den 15. januar. Du får en invitation i din kalender.',
    ].join('\n\n'),
    contact: 'HR, tlf. 74 92 90 20',
    topics: ['Arbejdsmiljø', 'Ledelse'],
    audience: { roles: ['manager'] },
    remindAfterDays: 5,
    acknowledgedBy: ['ejer@demo.mediehus.dk', 'susc@toender.dk', 'bimo@toender.dk', 'moiv@toender.dk'],
  },
  {
    type: 'news',
    owner: 'kultur-og-fritid',
    title: 'Nye regler for nøgler og alarm i Kultur og Fritid',
    summary: 'Fra 1. december får alle i Kultur og Fritid en personlig nøglebrik til Kulturhuset og biblioteket.',
    body: [
      'Vi skifter de gamle nøgler ud med personlige nøglebrikker i Kulturhuset og på biblioteket.',
      '- Din brik er personlig og må ikke lånes ud.\n- Den, der går sidst, slår alarmen til og tjekker, at alle døre er låst.\n- Mister du din brik, så ring straks til vagtcentralen på 74 92 99 99, så den kan spærres.',
      'Aflever din gamle nøgle til Thomas Winther senest 30. november.',
    ].join('\n\n'),
    contact: 'Thomas Winther, tlf. 74 92 88 10',
    topics: ['Arbejdsplads'],
    audience: { units: ['kultur-og-fritid'] },
    remindAfterDays: null,
    acknowledgedBy: ['leder@demo.mediehus.dk', 'thwi@toender.dk', 'olda@toender.dk'],
  },
];

/** Lays the must-reads in and acknowledges some; nothing happens for one that is there already. */
export async function seedDemoMustReads(db: Db): Promise<void> {
  const author = await actorFor(db, (await findPersonRowByEmail(db, 'intra@demo.mediehus.dk'))!, null);
  const approver = await actorFor(db, (await findPersonRowByEmail(db, 'web@demo.mediehus.dk'))!, null);
  const units = new Map((await db.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));
  for (const m of DEMO_MUST_READS) {
    if (await db.selectFrom('items').select('id').where('title', '=', m.title).executeTakeFirst()) continue;
    const placement: Placement = {
      channel: 'intranet',
      everyone: m.audience.everyone ?? false,
      roles: m.audience.roles ?? [],
      unitIds: (m.audience.units ?? []).map((slug) => units.get(slug)!),
      groupIds: [],
      mustRead: true,
      remindAfterDays: m.remindAfterDays,
    };
    const { id } = await createItem(db, author, m.type, {
      title: m.title,
      summary: m.summary,
      body: m.body,
      ownerUnitId: units.get(m.owner)!,
      contact: m.contact,
      topics: m.topics,
      language: 'da',
      reviewBy: null,
      images: [],
      placements: [placement],
      fields: {},
    });
    await transition(db, author, id, 'submit');
    await transition(db, approver, id, 'approve');
    await transition(db, approver, id, 'publish');
    for (const email of m.acknowledgedBy) {
      const person = await findPersonRowByEmail(db, email);
      if (!person) continue;
      await acknowledge(db, await actorFor(db, person, null), await viewerOf(db, person.id), id);
    }
  }
}
