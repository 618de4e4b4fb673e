import { createItem, transition } from '../content/service.ts';
import { viewerOf } from '../intranet/audience.ts';
import type { JobRole } from '../org/model.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';
import { actorFor } from '../signin/actors.ts';
import { OTHER_TOPIC as OTHER } from '../tools/model.ts';
import { createTool, pinTool } from '../tools/service.ts';

// TønderPortalen's tool directory and a few knowledge articles (I5), made by the demo's intranet editor through the
// same services as the screens: the tools with their audiences and audit entries, the articles written by Line (intra)
// and approved and published by Jonas (web), the second pair of eyes.

interface DemoTool {
  name: string;
  url: string;
  description: string;
  /** A topic from TOOL_TOPICS, or the editor's own ("andet" + otherTopic). */
  topic: string;
  otherTopic?: string;
  everyone?: boolean;
  roles?: JobRole[];
  /** Slugs of units. */
  units?: string[];
}

const TOOLS: DemoTool[] = [
  { name: 'Outlook på nettet', url: 'https://outlook.office.com/mail/', description: 'Din mail og kalender, også når du ikke er ved din egen computer.', topic: 'Mail og kalender', everyone: true },
  {
    name: 'Medarbejderportalen (Silkeborg Data)',
    url: 'https://medarbejderportal.silkeborgdata.dk/',
    description: 'Se din lønseddel, dine feriedage og dit fravær, og meld dig syg og rask.',
    topic: 'Løn, fravær og rejser',
    everyone: true,
  },
  { name: 'KMD Opus Rejseafregning', url: 'https://opus.kmd.dk/rejseafregning', description: 'Afregn kørsel og rejser i arbejdet.', topic: 'Løn, fravær og rejser', everyone: true },
  { name: 'IT-hjælp (Serviceportal)', url: 'https://serviceportal.toender.dk/', description: 'Meld en fejl, bestil udstyr eller få hjælp til adgang og kodeord.', topic: 'IT og support', everyone: true },
  { name: 'Kantinens menu', url: 'https://kantine.toender.dk/menu', description: 'Ugens menu i kantinen på rådhuset, og bestilling af mad til møder.', topic: 'Hverdagen på arbejdspladsen', everyone: true },
  { name: 'eDoc – sager og journalisering', url: 'https://edoc.toender.dk/', description: 'Journaliser mails og dokumenter, og find sager.', topic: 'Sager og dokumenter', everyone: true },
  { name: 'Meld en arbejdsulykke (EASY)', url: 'https://easy.at.dk/', description: 'Anmeld en arbejdsulykke til Arbejdstilsynet. Giv også din leder besked.', topic: OTHER, otherTopic: 'Arbejdsmiljø', everyone: true },
  { name: 'LIS – ledelsesinformation', url: 'https://lis.toender.dk/', description: 'Tal om budget, fravær og personale for de enheder, du leder.', topic: 'Ledelse og HR', roles: ['manager'] },
  { name: 'Rekruttering (Emply)', url: 'https://toender.emply.net/', description: 'Slå en stilling op, og følg ansøgerne fra ansøgning til ansættelse.', topic: 'Ledelse og HR', roles: ['manager'] },
  { name: 'Byrådets dagsordener', url: 'https://dagsordener.toender.dk/', description: 'Dagsordener, bilag og referater fra byrådet og udvalgene.', topic: OTHER, otherTopic: 'Politisk arbejde', roles: ['politician', 'manager'] },
  { name: 'Dagplejens vagtplan', url: 'https://vagtplan.toender.dk/dagplejen', description: 'Se gæstepleje og vagter, og meld fri i god tid.', topic: 'Dagpleje', units: ['dagplejen'] },
  { name: 'Aula', url: 'https://www.aula.dk/', description: 'Kommunikation med forældre og kolleger på skolen.', topic: 'Børn og skole', units: ['toender-distriktsskole'] },
  { name: 'MinUddannelse', url: 'https://www.minuddannelse.net/', description: 'Forløb, opgaver og elevplaner.', topic: 'Børn og skole', units: ['toender-distriktsskole'] },
  { name: 'Cicero', url: 'https://www.cicero-fbs.com/', description: 'Udlån, reservationer og materialer i bibliotekssystemet.', topic: 'Bibliotek og kultur', units: ['biblioteket'] },
];

const PINNED_BY_EMPLOYEE = ['Dagplejens vagtplan', 'Medarbejderportalen (Silkeborg Data)'];

interface DemoArticle {
  title: string;
  summary: string;
  body: string;
  topics: string[];
}

const ARTICLES: DemoArticle[] = [
  {
    title: 'Kurser og efteruddannelse',
    summary: 'Sådan finder du et kursus, søger om efteruddannelse og får betalt din uddannelse.',
    body: [
      '## Tal med din leder først',
      'Din udvikling aftaler du med din leder, fx til MUS. Sig til, hvis du har brug for et kursus før.',
      '## Kommunens egne kurser',
      'HR holder kurser i fx klart sprog, eDoc og førstehjælp. Tilmeld dig i Medarbejderportalen.',
      '## Efteruddannelse',
      'Du kan søge penge til efteruddannelse i kompetencefondene. HR hjælper dig med ansøgningen.',
    ].join('\n\n'),
    topics: ['Kompetenceudvikling', 'HR'],
  },
  {
    title: 'Sådan får du hjælp fra IT',
    summary: 'Meld fejl i Serviceportalen, eller ring til IT-hjælpen på 74 92 90 30, hvis det haster.',
    body: [
      '## Meld fejl i Serviceportalen',
      'Skriv, hvad du prøvede at gøre, og hvad der skete. Tag gerne et billede af skærmen.',
      '## Når det haster',
      'Ring til IT-hjælpen på 74 92 90 30 mellem kl. 8 og 15. Det haster, når du ikke kan arbejde.',
      '## Nyt kodeord',
      'Du kan selv skifte kodeord med MitID. Vælg "Glemt kodeord" på login-siden.',
    ].join('\n\n'),
    topics: ['IT'],
  },
  {
    title: 'Ferie og feriefridage',
    summary: 'Sådan søger du ferie, og sådan bruger du dine feriefridage, før ferieåret slutter.',
    body: [
      '## Søg ferie i god tid',
      'Søg sommerferie senest 1. marts. Anden ferie søger du mindst en måned før.',
      '## Feriefridage',
      'Du har fem feriefridage om året. Brug dem inden 30. april, ellers får du dem udbetalt.',
      '## Syg i ferien',
      'Bliver du syg i ferien, skal du melde dig syg til din leder med det samme.',
    ].join('\n\n'),
    topics: ['HR', 'Ferie'],
  },
  {
    title: 'Meld en arbejdsulykke',
    summary: 'Kom du til skade på arbejdet? Sig det til din leder samme dag. Ulykken skal meldes inden for ni dage.',
    body: [
      '## Sig det til din leder',
      'Fortæl din leder om ulykken samme dag, også hvis skaden er lille.',
      '## Meld ulykken i EASY',
      'Din leder melder ulykken i EASY inden for ni dage. Du får en kopi.',
      '## Tal med arbejdsmiljørepræsentanten',
      'I kigger sammen på, hvad der skete, så det ikke sker igen.',
    ].join('\n\n'),
    topics: ['Arbejdsmiljø'],
  },
];

const INTRANET_EDITOR = 'intra@demo.mediehus.dk';
const SECOND_EDITOR = 'web@demo.mediehus.dk';
const EMPLOYEE = 'medarbejder@demo.mediehus.dk';

async function demoActor(db: Db, email: string) {
  const person = await findPersonRowByEmail(db, email);
  if (!person) throw new Error(`Demo-personen ${email} mangler; læg demo-kommunen ind først.`);
  return actorFor(db, person, null);
}

/** Lays the tools and the articles in once; a second call finds tools and does nothing. */
export async function seedDemoTools(db: Db): Promise<void> {
  if (await db.selectFrom('tools').select('id').limit(1).executeTakeFirst()) return;
  const [editor, approver, employee] = await Promise.all([demoActor(db, INTRANET_EDITOR), demoActor(db, SECOND_EDITOR), demoActor(db, EMPLOYEE)]);
  const units = new Map((await db.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));

  const toolIds = new Map<string, string>();
  for (const t of TOOLS) {
    const id = await createTool(db, editor, {
      name: t.name,
      url: t.url,
      description: t.description,
      topic: t.topic,
      otherTopic: t.otherTopic ?? '',
      everyone: t.everyone ? '1' : '',
      roles: t.roles ?? [],
      unitIds: (t.units ?? []).map((slug) => units.get(slug)!),
    });
    toolIds.set(t.name, id);
  }
  const viewer = await viewerOf(db, employee.personId);
  for (const name of PINNED_BY_EMPLOYEE) await pinTool(db, employee, viewer, toolIds.get(name)!);

  const owner = units.get('sekretariat-it-og-hr')!;
  const reviewBy = localDate(new Date(Date.now() + 365 * 86_400_000));
  for (const a of ARTICLES) {
    const { id } = await createItem(db, editor, 'knowledge', {
      title: a.title,
      summary: a.summary,
      body: a.body,
      ownerUnitId: owner,
      contact: 'HR, tlf. 74 92 90 00, hr@toender.dk',
      topics: a.topics,
      language: 'da',
      reviewBy,
      images: [],
      placements: [{ channel: 'intranet', everyone: true, roles: [], unitIds: [], groupIds: [] }],
      fields: {},
    });
    await transition(db, editor, id, 'submit');
    await transition(db, approver, id, 'approve');
    await transition(db, approver, id, 'publish');
  }
}
