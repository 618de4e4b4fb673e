import type { Actor } from '../org/actor.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import type { ReactionKind } from '../posts/model.ts';
import { addComment, createPost, toggleReaction } from '../posts/service.ts';
import { actorFor } from '../signin/actors.ts';

// Colleagues' posts on TønderPortalen, written through the posts service so audiences, mentions and
// notifications are exactly what a person writing them would get.

// The demo people who can sign in, and a few of their colleagues from colleagues-seed.ts (left out if not there).
type Who = 'ejer' | 'web' | 'intra' | 'some' | 'app' | 'skole' | 'leder' | 'medarbejder' | 'politiker' | 'lene' | 'birgitte' | 'thomas' | 'birthe';
const EMAIL: Record<Who, string> = {
  ejer: 'ejer@demo.mediehus.dk',
  web: 'web@demo.mediehus.dk',
  intra: 'intra@demo.mediehus.dk',
  some: 'some@demo.mediehus.dk',
  app: 'app@demo.mediehus.dk',
  skole: 'skole@demo.mediehus.dk',
  leder: 'leder@demo.mediehus.dk',
  medarbejder: 'medarbejder@demo.mediehus.dk',
  politiker: 'politiker@demo.mediehus.dk',
  lene: 'lecl@toender.dk',
  birgitte: 'bimo@toender.dk',
  thomas: 'thwi@toender.dk',
  birthe: 'bkja@toender.dk',
};

interface DemoPost {
  by: Who;
  hoursAgo: number;
  everyone?: boolean;
  /** Unit slugs. */
  units?: string[];
  /** Group names. */
  groups?: string[];
  body: string;
  comments?: { by: Who; hoursAgo: number; body: string }[];
  reactions?: [Who, ReactionKind][];
}

const POSTS: DemoPost[] = [
  {
    by: 'intra',
    hoursAgo: 74,
    everyone: true,
    body: [
      'Velkommen til den nye TønderPortalen!',
      '',
      'Fra i dag finder du nyheder, værktøjer og viden om din arbejdsplads ét sted. Det nye er, at du selv kan skrive opslag:',
      '',
      '- til dine kolleger i din enhed,',
      '- til dit område eller en anden enhed eller institution,',
      '- til en gruppe, du er med i, eller til alle i kommunen.',
      '',
      'Skriv @ og en kollegas fulde navn, så får kollegaen besked. Har du spørgsmål, så skriv en kommentar her – så svarer vi i redaktionen.',
    ].join('\n'),
    comments: [
      { by: 'medarbejder', hoursAgo: 70, body: 'Hvor smart! Kan jeg også skrive til dem, jeg kører legestue med i Kultur og Fritid? @Line Kjær' },
      { by: 'intra', hoursAgo: 69, body: 'Ja, @Anne Jensen – vælg "En anden enhed eller institution" og så Kultur og Fritid, når du skriver dit opslag.' },
      { by: 'ejer', hoursAgo: 50, body: 'Godt arbejde af hele redaktionen. Husk, at vores retningslinjer for digitale medier også gælder her.' },
    ],
    reactions: [
      ['ejer', 'celebrate'],
      ['medarbejder', 'like'],
      ['leder', 'celebrate'],
      ['politiker', 'like'],
      ['skole', 'thanks'],
    ],
  },
  {
    by: 'medarbejder',
    hoursAgo: 50,
    units: ['dagplejen', 'kultur-og-fritid'],
    body: [
      '**Legestue på Biblioteket torsdag kl. 9.30–11.00**',
      '',
      'Vi mødes i børnebiblioteket med børnene. Biblioteket læser højt, og bagefter synger vi sammen. Husk skiftetøj og madpakke – vi spiser i salen bagved.',
      '',
      'Tak til @Peter Hansen og Biblioteket, fordi vi må låne lokalerne igen i år.',
    ].join('\n'),
    comments: [
      { by: 'lene', hoursAgo: 48, body: 'Jeg tager guitaren med, så kan @Anne Jensen og jeg tage sangene.' },
      { by: 'leder', hoursAgo: 46, body: 'I er altid velkomne. Sig til, hvis I mangler noget.' },
    ],
    reactions: [
      ['leder', 'like'],
      ['birgitte', 'thanks'],
      ['lene', 'like'],
    ],
  },
  {
    by: 'leder',
    hoursAgo: 28,
    units: ['kultur-og-fritid'],
    body: [
      'Kære alle i Kultur og Fritid',
      '',
      'Tak for en flot Kulturnat – vi havde over 3.000 besøgende i byen. Personalemødet på mandag er flyttet til **tirsdag kl. 8.30** i mødelokale 2, hvor vi evaluerer.',
      '',
      'Skriv gerne jeres input i en kommentar her inden da.',
    ].join('\n'),
    comments: [{ by: 'thomas', hoursAgo: 26, body: 'Næste år skal vi have flere toiletter ved Torvet – køen var lang ved 21-tiden.' }],
    reactions: [['thomas', 'thanks']],
  },
  {
    by: 'politiker',
    hoursAgo: 20,
    units: ['byraadet'],
    body: 'Materialet til budgetseminaret den 4. december ligger nu i mødesystemet. Bemærk, at vi starter allerede kl. 15 med en rundvisning på det nye plejecenter.',
    comments: [{ by: 'birthe', hoursAgo: 19, body: 'Tak, Hans. Vi mødes ved hovedindgangen.' }],
    reactions: [['birthe', 'like']],
  },
  {
    by: 'ejer',
    hoursAgo: 9,
    everyone: true,
    body: [
      'Pas på falske mails før jul',
      '',
      'Vi ser flere mails, der ligner pakkeleverancer eller lønsedler. Klik ikke på links, du ikke venter, og videresend mistænkelige mails til it-sikkerhed@toender.dk.',
    ].join('\n'),
    comments: [{ by: 'app', hoursAgo: 8, body: 'Jeg har også fået en i dag, der lignede en besked fra e-Boks. Den er sendt videre.' }],
    reactions: [
      ['app', 'thanks'],
      ['some', 'thanks'],
      ['medarbejder', 'thanks'],
    ],
  },
  {
    by: 'some',
    hoursAgo: 6,
    everyone: true,
    body: 'Vil din enhed gerne på Facebook eller Instagram? Læs retningslinjerne for kommunens sociale medier, og tag en snak med os i Kommunikationsafdelingen eller med @Line Kjær, før I opretter en konto.',
    reactions: [['intra', 'like']],
  },
  {
    by: 'app',
    hoursAgo: 4,
    groups: ['Ad hoc-gruppe: Ny app til borgere'],
    body: 'Første testversion af borger-appen er klar. @Mette Sørensen, kan du og styregruppen teste den inden fredag? Skriv jeres fund her.',
    comments: [{ by: 'ejer', hoursAgo: 3, body: 'Det gør vi. Jeg har sat en halv time af torsdag.' }],
    reactions: [['ejer', 'like']],
  },
  {
    by: 'skole',
    hoursAgo: 2,
    everyone: true,
    body: 'Skolens kor synger julen ind i rådhusets forhal fredag den 18. december kl. 12.00. Alle kolleger er velkomne – der er gløgg og æbleskiver bagefter.',
    comments: [{ by: 'politiker', hoursAgo: 1, body: 'Det glæder jeg mig til!' }],
    reactions: [
      ['politiker', 'celebrate'],
      ['intra', 'celebrate'],
    ],
  },
];

export async function seedDemoPosts(db: Db): Promise<void> {
  if (await db.selectFrom('posts').select('id').limit(1).executeTakeFirst()) return;
  const actors = new Map<Who, Actor>();
  for (const [key, email] of Object.entries(EMAIL) as [Who, string][]) {
    const person = await findPersonRowByEmail(db, email);
    if (person) actors.set(key, await actorFor(db, person, null));
  }
  const unitIds = new Map((await db.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));
  const groupIds = new Map((await db.selectFrom('groups').select(['id', 'name']).execute()).map((g) => [g.name, g.id]));
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  for (const p of POSTS) {
    const author = actors.get(p.by);
    if (!author) continue;
    const { id } = await createPost(
      db,
      author,
      {
        body: p.body,
        everyone: !!p.everyone,
        unitIds: (p.units ?? []).map((s) => unitIds.get(s)).filter((u): u is string => !!u),
        groupIds: (p.groups ?? []).map((g) => groupIds.get(g)).filter((g): g is string => !!g),
      },
      { at: hoursAgo(p.hoursAgo) },
    );
    for (const c of p.comments ?? []) {
      const by = actors.get(c.by);
      if (by) await addComment(db, by, id, { body: c.body }, { at: hoursAgo(c.hoursAgo) });
    }
    for (const [who, kind] of p.reactions ?? []) {
      const by = actors.get(who);
      if (by) await toggleReaction(db, by, id, { kind });
    }
  }
}
