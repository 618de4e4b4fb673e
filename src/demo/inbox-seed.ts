import { ingestItems } from '../inbox/ingest.ts';
import { DEFAULT_REMOVAL_KEEP_DAYS, type GuidelinePointId, guidelineWords, threadOf } from '../inbox/moderation.ts';
import type { Db } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { localDate } from '../platform/time.ts';
import { senderKey } from '../inbox/blocking.ts';
import { POLITICIANS } from '../inbox/escalation.ts';
import type { IncomingItem } from '../social/providers/types.ts';
import { DEMO_SOCIAL_ACCOUNTS } from './social-seed.ts';

// The demo's inbox: the saved replies in Danish, and comments, replies and mentions on the demo accounts of every
// kind the guidelines name, classified on the way in like real ones. The CPR number below is made up.

export const DEMO_SAVED_REPLIES: { title: string; text: string; category: string | null }[] = [
  {
    title: 'Personlige sager: skriv sikkert',
    category: 'casework',
    text: 'Tak for din henvendelse. Vi kan ikke behandle sager her, fordi sociale medier ikke er sikre for dine personlige oplysninger — skriv til os sikkert via borger.dk (Digital Post til Tønder Kommune), eller ring på 74 92 92 92. Vi har skjult din kommentar for at beskytte dine oplysninger.',
  },
  {
    title: 'Politiske spørgsmål',
    category: 'political',
    text: 'Politiske spørgsmål: kontakt byrådets medlemmer direkte — du finder dem og deres kontaktoplysninger på toender.dk/byraadet. Kommunens sider på sociale medier bruges ikke til politisk debat.',
  },
  {
    title: 'Affald: tømning og sortering',
    category: 'question',
    text: 'Du kan se, hvornår din skraldespand bliver tømt, på toender.dk/affald ved at skrive din adresse. Er den ikke blevet tømt, kan du melde det samme sted, så kommer vi forbi hurtigst muligt.',
  },
  {
    title: 'Åbningstider i Borgerservice',
    category: 'question',
    text: 'Borgerservice har åbent mandag–onsdag kl. 10–15, torsdag kl. 10–17 og fredag kl. 10–13. Du finder alle kommunens åbningstider på toender.dk/aabningstider.',
  },
  {
    title: 'Pas og kørekort',
    category: 'question',
    text: 'Du bestiller tid til pas og kørekort i Borgerservice på toender.dk/tidsbestilling. Husk dit gamle pas og et godkendt pasfoto. Der er normalt ledige tider inden for en uge.',
  },
  {
    title: 'Snerydning',
    category: 'question',
    text: 'Vi rydder sne efter en fast plan: først hovedveje og busruter, derefter boligveje. Du kan følge ruterne på toender.dk/vintertjeneste. Fortovet foran din grund skal du selv rydde.',
  },
];

interface DemoComment {
  account: string;
  /** Hangs under the account's sent post in the demo when true; else under a post made outside Mediehus. */
  onOurPost: boolean;
  author: string;
  handle?: string;
  text: string;
  hoursAgo: number;
  /** Answers the comment before it (a reply in the thread). */
  inThread?: boolean;
  /** Our first answer, this many minutes after the citizen wrote (for the response-time dashboard). */
  answer?: { afterMinutes: number; text: string };
}

const COMMENTS: DemoComment[] = [
  { account: 'fb', onOurPost: true, author: 'Mette Hansen', text: 'Hvornår bliver skraldet tømt i Bredebro i næste uge, når der er helligdag?', hoursAgo: 30, answer: { afterMinutes: 95, text: 'Der tømmes dagen efter helligdagen i hele kommunen. Du kan se din tømningsdag på toender.dk/affald.' } },
  { account: 'fb', onOurPost: true, author: 'Jens Møller', text: 'Godt initiativ! Det er dejligt at se, at der sker noget i byen.', hoursAgo: 29 },
  { account: 'fb', onOurPost: true, author: 'Karin Lund', text: 'Hvad er Borgerservice åbningstider torsdag?', hoursAgo: 27 },
  { account: 'fb', onOurPost: true, author: 'Poul Sørensen', text: 'Min sag om hjemmehjælp til min mor er gået i stå. Hendes CPR er 120345-1234, kan I ikke se på det?', hoursAgo: 26 },
  { account: 'fb', onOurPost: true, author: 'Lone Kristensen', text: 'Jeg synes ærligt talt, at kommunen har været alt for langsom med vejarbejdet på Storegade. Det er ikke godt nok.', hoursAgo: 25 },
  { account: 'fb', onOurPost: true, author: 'Anders Bak', text: 'Borgmesteren og hele Venstre burde skamme sig over budgettet. Stem dem ud ved næste valg!', hoursAgo: 24 },
  { account: 'fb', onOurPost: true, author: 'Tina Holm', text: 'I er nogle fucking idioter allesammen.', hoursAgo: 23 },
  { account: 'fb', onOurPost: true, author: 'Billige Solbriller', text: 'Køb billige solbriller nu!!! 80% rabat på www.solbriller-tilbud.example — klik her', hoursAgo: 22 },
  { account: 'fb', onOurPost: true, author: 'Hanne Jepsen', text: 'Hvordan bestiller jeg tid til nyt pas?', hoursAgo: 6, answer: { afterMinutes: 20, text: DEMO_SAVED_REPLIES[4]!.text } },
  { account: 'fb', onOurPost: true, author: 'Mette Hansen', text: 'Tak for svaret, det hjalp!', hoursAgo: 5, inThread: true },
  { account: 'fb', onOurPost: false, author: 'Søren Iversen', text: 'Hvornår bliver vores vej ryddet for sne? Vi har ikke set en sneplov i to dage.', hoursAgo: 3 },
  { account: 'fb', onOurPost: false, author: 'Birgitte Nissen', text: 'Fantastisk flot julemarked i år, tak til alle de frivillige!', hoursAgo: 2 },
  { account: 'x', onOurPost: true, author: 'Niels Thomsen', handle: '@nielsthomsen', text: '@toenderkommune hvornår åbner genbrugspladsen på lørdag?', hoursAgo: 28, answer: { afterMinutes: 40, text: 'Genbrugspladsen har åbent lørdag kl. 10–16.' } },
  { account: 'x', onOurPost: true, author: 'Kim Larsen', handle: '@kimlarsen_dk', text: 'Det er fuldstændig vanvittigt, at der ikke er lys på cykelstien. Nogen kommer til skade!', hoursAgo: 20 },
  { account: 'x', onOurPost: true, author: 'Rasmus Vestergaard', handle: '@rvestergaard', text: 'Byrådets flertal kører kommunen i sænk. Socialdemokratiet har ansvaret.', hoursAgo: 12 },
  { account: 'x', onOurPost: false, author: 'Mads Friis', handle: '@madsfriis', text: '@toenderkommune tak for hurtig snerydning i morges 👍', hoursAgo: 4 },
  { account: 'x', onOurPost: false, author: 'Crypto Gains', handle: '@cryptogains2026', text: 'Tjen 5000 kr om dagen hjemmefra! Følg linket i min profil 💰💰 bit.ly/tjen-hurtigt', hoursAgo: 1 },
  { account: 'mastodon', onOurPost: false, author: 'Ida Lauridsen', handle: '@ida@social.example', text: '@toenderkommune@social.toender.dk Hvor kan jeg se affaldskalenderen for 2027?', hoursAgo: 50 },
  { account: 'mastodon', onOurPost: false, author: 'Peter Christiansen', handle: '@peterc@social.example', text: 'Gode nyheder om den nye skole. Glæder mig til at se den færdig.', hoursAgo: 10 },
  { account: 'bluesky', onOurPost: false, author: 'Louise Andersen', handle: '@louiseandersen.bsky.social', text: '@toender.dk Hvornår holder biblioteket åbent i juleferien?', hoursAgo: 8 },
  { account: 'bluesky', onOurPost: false, author: 'Henrik Pedersen', handle: '@henrikp.bsky.social', text: 'Min nabo Jørgen på Vestergade 12 har en verserende sag om tvangsfjernelse, det burde alle vide.', hoursAgo: 7 },
  { account: 'dagplejen', onOurPost: false, author: 'Camilla Brandt', text: 'Hvordan skriver jeg mig op til dagpleje, og hvor lang er ventetiden?', hoursAgo: 48 },
  { account: 'dagplejen', onOurPost: false, author: 'Line Mortensen', text: 'Min datter har journalnummer 2026-14-0345 og vi har stadig ikke fået svar om plads. Hun har diagnosen ADHD.', hoursAgo: 9 },
  { account: 'dagplejen', onOurPost: false, author: 'Thomas Kjær', text: 'Tak til vores dagplejer Susanne for et helt fantastisk år ❤️', hoursAgo: 5 },
  { account: 'dagplejen', onOurPost: false, author: 'Jonas Schmidt', text: 'Den dagplejer er en klam luder og burde fyres, alle ved hvad hun er for en.', hoursAgo: 2 },
  { account: 'kultur', onOurPost: false, author: 'Eva Skov', text: 'Er der stadig billetter til koncerten i Tønder Festivalhal på fredag?', hoursAgo: 30, answer: { afterMinutes: 190, text: 'Ja, der er stadig billetter. Du køber dem på toender-festivalhal.dk eller i døren.' } },
  { account: 'kultur', onOurPost: false, author: 'Morten Hald', text: 'Svømmehallen er alt for kold om morgenen. Kan I ikke skrue op?', hoursAgo: 15 },
  { account: 'kultur', onOurPost: false, author: 'Frank Olsen', text: 'Jeg ved hvor du bor, og jeg kommer og finder dig, hvis hallen lukker.', hoursAgo: 3 },
  { account: 'bibliotek', onOurPost: false, author: 'Anna Bech', text: 'Hvornår åbner biblioteket om søndagen?', hoursAgo: 26, answer: { afterMinutes: 25, text: 'Biblioteket er selvbetjent om søndagen kl. 10–16 med dit sundhedskort og en pinkode.' } },
  { account: 'bibliotek', onOurPost: false, author: 'Ole Winther', text: 'Super god forfatteraften i går. Mere af den slags!', hoursAgo: 20 },
];

/** The saved replies and 30 inbox items; does nothing if the inbox already has items. */
export async function seedDemoInbox(db: Db, now = new Date()): Promise<boolean> {
  if (await db.selectFrom('inbox_items').select('id').limit(1).executeTakeFirst()) return false;
  const at = nowIso();
  await db
    .insertInto('saved_replies')
    .values(DEMO_SAVED_REPLIES.map((r, i) => ({ id: newId(), title: r.title, text: r.text, category: r.category, active: 1, position: i + 1, updated_at: at })))
    .execute();
  const accounts = await db.selectFrom('social_accounts').select(['id', 'handle', 'network', 'business_hours']).execute();
  const byKey = new Map(DEMO_SOCIAL_ACCOUNTS.map((d) => [d.key, accounts.find((a) => a.handle === d.handle && a.network === d.network)]));
  const sent = await db.selectFrom('social_posts').select(['account_id', 'external_id']).where('state', '=', 'sent').where('external_id', 'is not', null).execute();
  let n = 0;
  const previous = new Map<string, IncomingItem>();
  for (const c of COMMENTS) {
    const account = byKey.get(c.account);
    if (!account) continue;
    n++;
    const root = (c.onOurPost && sent.find((p) => p.account_id === account.id)?.external_id) || `${c.account}-post-${(n % 3) + 1}`;
    const before = previous.get(c.account);
    const item: IncomingItem = {
      externalId: `demo-${c.account}-${n}`,
      parentExternalId: c.inThread && before ? before.externalId : root,
      rootExternalId: root,
      authorName: c.author,
      authorHandle: c.handle ?? null,
      text: c.text,
      createdAt: new Date(now.getTime() - c.hoursAgo * 3_600_000),
      url: null,
      hidden: false,
    };
    previous.set(c.account, item);
    const { ids } = await ingestItems(db, account, [item], { now: item.createdAt });
    if (c.answer && ids[0]) await answerDemoItem(db, ids[0], new Date(item.createdAt.getTime() + c.answer.afterMinutes * 60_000), c.answer.text);
  }
  await seedDemoRemovals(db, now);
  await seedDemoEscalationAndBlock(db, now);
  return true;
}

/**
 * Three removal records, so the list of removed comments is not empty: two hidden comments and one deleted spam
 * comment, decided by the account's editors an hour after they came in (the networks are not asked).
 */
async function seedDemoRemovals(db: Db, now: Date): Promise<void> {
  const removals: { author: string; email: string; action: 'hide' | 'delete'; guideline: GuidelinePointId; reason: string }[] = [
    { author: 'Tina Holm', email: 'some@demo.mediehus.dk', action: 'hide', guideline: 'kraenkende', reason: 'Grove skældsord rettet mod kommunens medarbejdere. Kritikken kan skrives igen i en ordentlig tone.' },
    { author: 'Billige Solbriller', email: 'some@demo.mediehus.dk', action: 'delete', guideline: 'spam', reason: 'Reklame for en webshop uden forbindelse til opslaget.' },
    { author: 'Jonas Schmidt', email: 'medarbejder@demo.mediehus.dk', action: 'hide', guideline: 'chikane', reason: 'Nedværdigende omtale af en navngiven dagplejer.' },
  ];
  for (const r of removals) {
    const item = await db.selectFrom('inbox_items').selectAll().where('author_name', '=', r.author).executeTakeFirst();
    const person = await db.selectFrom('people').select('id').where('email', '=', r.email).executeTakeFirst();
    if (!item || !person) continue;
    const decidedAt = new Date(Math.min(now.getTime(), Date.parse(item.written_at) + 3_600_000));
    await db
      .insertInto('removal_records')
      .values({
        id: newId(),
        item_id: item.id,
        account_id: item.account_id,
        action: r.action,
        item_text: item.text,
        author_name: item.author_name,
        author_handle: item.author_handle,
        written_at: item.written_at,
        network_url: item.url,
        thread: JSON.stringify(await threadOf(db, item.id)),
        categories: item.categories,
        guideline: guidelineWords(r.guideline),
        reason: r.reason,
        decided_by: person.id,
        decided_at: decidedAt.toISOString(),
        carried_out_at: new Date(decidedAt.getTime() + 2000).toISOString(),
        undone_at: null,
        undone_by: null,
        keep_until: new Date(decidedAt.getTime() + DEFAULT_REMOVAL_KEEP_DAYS * 86_400_000).toISOString(),
      })
      .execute();
    await db.updateTable('inbox_items').set(r.action === 'hide' ? { hidden: 1 } : { deleted: 1 }).where('id', '=', item.id).execute();
  }
}

/** Our first answer to a demo question, as the inbox would have stored it (sent by the social media editor). */
async function answerDemoItem(db: Db, itemId: string, at: Date, text: string): Promise<void> {
  const editor = await db.selectFrom('people').select('id').where('email', '=', 'some@demo.mediehus.dk').executeTakeFirst();
  if (!editor) return;
  await db.insertInto('inbox_replies').values({ id: newId(), item_id: itemId, text, saved_reply_id: null, sent_by: editor.id, sent_at: at.toISOString(), external_id: null }).execute();
  await db.updateTable('inbox_items').set({ answered_at: at.toISOString() }).where('id', '=', itemId).where('answered_at', 'is', null).execute();
}

/**
 * One item sent on and one blocked author: the political comment on X went to the council's members, and the
 * author of the degrading comment on Dagplejen's page is blocked until a review in three months.
 */
async function seedDemoEscalationAndBlock(db: Db, now: Date): Promise<void> {
  const political = await db.selectFrom('inbox_items').select(['id', 'written_at']).where('author_name', '=', 'Rasmus Vestergaard').executeTakeFirst();
  if (political) {
    const at = new Date(Math.min(now.getTime(), Date.parse(political.written_at) + 2 * 3_600_000)).toISOString();
    await db.updateTable('inbox_items').set({ escalated_to: POLITICIANS, escalated_at: at }).where('id', '=', political.id).execute();
  }
  const degrading = await db.selectFrom('inbox_items').selectAll().where('author_name', '=', 'Jonas Schmidt').executeTakeFirst();
  const editor = await db.selectFrom('people').select('id').where('email', '=', 'medarbejder@demo.mediehus.dk').executeTakeFirst();
  if (degrading && editor) {
    const review = new Date(`${localDate(now)}T12:00:00Z`);
    review.setUTCDate(review.getUTCDate() + 90);
    await db
      .insertInto('inbox_blocks')
      .values({
        id: newId(),
        account_id: degrading.account_id,
        author_handle: senderKey(degrading),
        author_name: degrading.author_name,
        reason: 'Gentagne nedværdigende kommentarer om en navngiven dagplejer (retningslinjerne: chikane og mobning).',
        review_on: review.toISOString().slice(0, 10),
        decided_by: editor.id,
        decided_at: new Date(Math.min(now.getTime(), Date.parse(degrading.written_at) + 3_600_000)).toISOString(),
        lifted_at: null,
      })
      .execute();
  }
}
