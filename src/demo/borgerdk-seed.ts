import type { BorgerdkClient } from '../borgerdk/client.ts';
import type { ExportedArticle } from '../borgerdk/model.ts';
import { refreshArticles } from '../borgerdk/service.ts';
import { insertArticle } from '../borgerdk/store.ts';
import { createItem, transition } from '../content/service.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { localDate } from '../platform/time.ts';
import { actorFor } from '../signin/actors.ts';

// The demo has no network, so its articles from borger.dk are written here in borger.dk's own HTML format
// (see src/borgerdk/content-html.ts) and stored through the same parsing and sanitising as a real fetch.
// The texts are the demo's own, in the style of borger.dk; the ids and addresses are made up.

const selfservice = (guid: string, href: string, label: string) => `<li id="selfservicelink_${guid}"><a href="${href}" title="Start ${label.toLowerCase()}">${label}</a></li>`;
const micro = (id: number, heading: string, body: string) => `<div class="microArticle" id="microArticle_${id}"><h2 class="mArticle" id="mArticle${id}">${heading}</h2><div class="mArticle${id} mArticle"><div>${body}</div></div></div>`;
const box = (id: string, heading: string, body: string) => `<div id="${id}"><h3>${heading}</h3><div><div>${body}</div></div></div>`;

export const DEMO_BORGERDK_ARTICLES: ExportedArticle[] = [
  {
    articleId: 1580,
    title: 'Anmeld flytning',
    header: 'Du skal anmelde din flytning senest fem dage efter, at du er flyttet.',
    url: 'https://www.borger.dk/bolig-og-flytning/flytning/anmeld-flytning',
    publishedAt: '2019-05-02T08:00:00.000Z',
    lastUpdatedAt: '2026-09-14T07:30:00.000Z',
    content: [
      `<div id="selvbetjeningslinks"><h3>Selvbetjening</h3><ul>${selfservice('6f1c2a7e', '/bolig-og-flytning/flytning/anmeld-flytning/selvbetjening', 'Anmeld flytning')}</ul></div>`,
      '<div id="kernetekst">',
      micro(10201, 'Hvornår skal du anmelde flytning?', '<p>Du skal anmelde din flytning senest fem dage efter, at du er flyttet. Du kan tidligst gøre det fire uger før.</p>'),
      micro(10202, 'Sådan anmelder du flytning', '<p>Du anmelder flytning digitalt med MitID. Du skal oplyse din nye adresse og datoen for flytningen.</p><ul><li>Hele husstanden kan anmeldes på én gang.</li><li>Du får en kvittering i din digitale post.</li></ul>'),
      micro(10203, 'Hvem får besked om din nye adresse?', '<p>Din adresse bliver rettet i CPR. Offentlige myndigheder, din læge og din bank får den nye adresse automatisk.</p><p>Du skal selv give besked til fx forsikringsselskab, el, vand og internet.</p>'),
      micro(10204, 'Hvis du flytter til udlandet', '<p>Flytter du til udlandet, skal du anmelde det senest fem dage før, du rejser. Læs mere om <a href="/bolig-og-flytning/flytning/flyt-til-udlandet">at flytte til udlandet</a>.</p>'),
      '</div>',
      box('lovgivning', 'Lovgivning', '<ul><li><a href="https://www.retsinformation.dk/eli/lta/2023/1003">Lov om Det Centrale Personregister (CPR-loven)</a></li></ul>'),
      '<div id="byline"><div>Skrevet af Borger.dk</div></div>',
    ].join(''),
  },
  {
    articleId: 1617,
    title: 'Pas',
    header: 'Her kan du læse om, hvordan du får et nyt pas, og hvad det koster.',
    url: 'https://www.borger.dk/rejser-og-pas/pas/pas',
    publishedAt: '2018-11-20T08:00:00.000Z',
    lastUpdatedAt: '2026-06-02T10:15:00.000Z',
    content: [
      `<div id="selvbetjeningslinks"><h3>Selvbetjening</h3><ul>${selfservice('0b8e41d2', '/rejser-og-pas/pas/bestil-tid', 'Bestil tid til pas')}</ul></div>`,
      '<div id="kernetekst">',
      micro(10301, 'Sådan får du et nyt pas', '<p>Du skal møde op i borgerservice i din kommune. Her tager de dit billede og dine fingeraftryk.</p>'),
      micro(10302, 'Det skal du have med', '<ul><li>Dit gamle pas, hvis du har et</li><li>Dit sundhedskort</li><li>Din dåbsattest eller navneattest, hvis du ikke har haft pas før</li></ul>'),
      micro(10303, 'Pris for pas', '<table><caption>Pris for pas</caption><thead><tr><th scope="col">Alder</th><th scope="col">Pris</th></tr></thead><tbody><tr><td>Under 18 år</td><td>196 kr.</td></tr><tr><td>18 til 64 år</td><td>709 kr.</td></tr><tr><td>65 år eller ældre</td><td>409 kr.</td></tr></tbody></table>'),
      '</div>',
      box('anbefaler', 'Borger.dk anbefaler', '<p>Tjek dit pas i god tid, før du skal rejse. Det tager cirka tre uger at få et nyt.</p>'),
      box('lovgivning', 'Lovgivning', '<ul><li><a href="https://www.retsinformation.dk/eli/lta/2020/174">Bekendtgørelse om pas til danske statsborgere</a></li></ul>'),
      '<div id="byline"><div>Skrevet af Borger.dk</div></div>',
    ].join(''),
  },
  {
    articleId: 2201,
    title: 'Boligstøtte til lejere',
    header: 'Bor du til leje, kan du måske få boligstøtte til at betale din husleje.',
    url: 'https://www.borger.dk/bolig-og-flytning/boligstoette/boligstoette-til-lejere',
    publishedAt: '2020-01-07T08:00:00.000Z',
    lastUpdatedAt: '2026-10-01T06:45:00.000Z',
    content: [
      `<div id="selvbetjeningslinks"><h3>Selvbetjening</h3><ul>${selfservice('9a3d5c11', '/bolig-og-flytning/boligstoette/soeg-boligstoette', 'Søg boligstøtte')}${selfservice('9a3d5c12', '/bolig-og-flytning/boligstoette/beregn-boligstoette', 'Beregn din boligstøtte')}</ul></div>`,
      '<div id="kernetekst">',
      micro(10401, 'Hvem kan få boligstøtte?', '<p>Du kan få boligstøtte, hvis du bor til leje, og boligen har eget køkken. Hvor meget du kan få, afhænger af din husleje, din indkomst og hvor mange I bor i boligen.</p>'),
      micro(10402, 'Sådan søger du boligstøtte', '<p>Du søger digitalt med MitID. Det er Udbetaling Danmark, der behandler din ansøgning.</p><p>Du kan tidligst få boligstøtte fra den første dag i måneden efter, at du har søgt.</p>'),
      micro(10403, 'Når du har fået boligstøtte', '<p>Du skal give besked, hvis din indkomst, din husleje eller antallet af personer i boligen ændrer sig.</p>'),
      micro(10404, 'Boligydelse til folkepensionister', '<p>Er du folkepensionist, hedder støtten boligydelse. Reglerne er lidt anderledes.</p>'),
      '</div>',
      box('lovgivning', 'Lovgivning', '<ul><li><a href="https://www.retsinformation.dk/eli/lta/2022/1089">Lov om individuel boligstøtte</a></li></ul>'),
      '<div id="byline"><div>Skrevet af Udbetaling Danmark</div></div>',
    ].join(''),
  },
];

/** Stands in for borger.dk in the demo: it knows only the articles above. */
export const demoBorgerdkClient: BorgerdkClient = {
  async getArticlesByIds(ids) {
    return DEMO_BORGERDK_ARTICLES.filter((a) => ids.includes(a.articleId));
  },
};

const PAGE_TITLE = 'Boligstøtte';

/**
 * Stores the demo's borger.dk articles and adds a published page that shows one of them between the
 * municipality's own text before and after. Each part is added only if it is missing.
 */
export async function seedDemoBorgerdk(db: Db, now = new Date()): Promise<boolean> {
  let added = false;
  const fresh: number[] = [];
  for (const a of DEMO_BORGERDK_ARTICLES) {
    const row = { id: newId(), article_id: a.articleId, title: null, header: null, url: null, published_at: null, last_updated_at: null, content: null, parts: null, content_hash: null, fetched_at: null, last_attempt_at: null, last_error: null, imported_by: null, imported_at: nowIso() };
    if (await insertArticle(db, row)) fresh.push(a.articleId);
  }
  if (fresh.length) {
    await refreshArticles(db, demoBorgerdkClient, fresh, null);
    added = true;
  }

  if (await db.selectFrom('items').select('id').where('title', '=', PAGE_TITLE).executeTakeFirst()) return added;
  const web = await findPersonRowByEmail(db, 'web@demo.mediehus.dk');
  const intra = await findPersonRowByEmail(db, 'intra@demo.mediehus.dk');
  const unit = await db.selectFrom('units').select('id').where('slug', '=', 'borgerservice').executeTakeFirst();
  if (!web || !intra || !unit) return added;
  const [author, approver] = [await actorFor(db, web, null), await actorFor(db, intra, null)];
  const { id } = await createItem(db, author, 'page', {
    title: PAGE_TITLE,
    summary: 'Bor du til leje, kan du måske få hjælp til huslejen. Du søger på borger.dk. Vi hjælper, hvis du ikke kan selv.',
    body: ['Boligstøtte er en hjælp til at betale huslejen.', 'Det er Udbetaling Danmark, der afgør, om du kan få støtte. Her kan du læse, hvordan du søger.'].join('\n\n'),
    ownerUnitId: unit.id,
    contact: 'Borgerservice, tlf. 74 92 92 92, borgerservice@toender.dk',
    topics: ['Bolig', 'Boligstøtte'],
    language: 'da',
    reviewBy: localDate(new Date(now.getTime() + 300 * 86_400_000)),
    images: [],
    placements: [{ channel: 'website', section: 'borger' }],
    fields: {
      borgerdkArticleId: 2201,
      // The municipality leaves out the part for pensioners; they have their own page.
      borgerdkMicroArticles: ['10401', '10402', '10403'],
      textAfter: ['# Få hjælp i Borgerservice', 'Kan du ikke søge selv? Kom i Borgerservice på Wegners Plads 2 i Tønder. Du skal ikke bestille tid.', 'Tag din lejekontrakt og dit sundhedskort med.'].join('\n\n'),
    },
  });
  await transition(db, author, id, 'submit');
  await transition(db, approver, id, 'approve');
  await transition(db, approver, id, 'publish');
  return true;
}
