import { createItem, transition } from '../content/service.ts';
import type { ItemType } from '../content/types.ts';
import type { Actor } from '../org/actor.ts';
import * as org from '../org/store.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { actorFor } from '../signin/actors.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import * as sites from '../sites/store.ts';

// The demo's subsites and independent website, with their own editors and content. The institutions' editors
// write; a second editor in the same group approves, as on the main site.

interface DemoSite {
  unit: string;
  kind: 'subsite' | 'independent';
  name: string;
  slug: string;
  host: string | null;
  intro: string;
  /** The site's editor group: the school already has one in the organisation seed. */
  group: { name: string; members: [string, 'lead' | 'member'][] } | { existing: string; add: [string, 'lead' | 'member'][] };
  author: string;
  approver: string;
  items: { type: ItemType; title: string; summary: string; body: string; menu?: string }[];
}

const DEMO_SITES: DemoSite[] = [
  {
    unit: 'toender-distriktsskole',
    kind: 'subsite',
    name: 'Tønder Distriktsskole',
    slug: 'distriktsskolen',
    host: null,
    intro: 'Folkeskole for 0.–9. klasse med SFO, i Tønder by. Her finder forældre og elever nyt fra skolen, skolestart og SFO.',
    group: { existing: 'Redaktører for Tønder Distriktsskoles subsite', add: [['web', 'member']] },
    author: 'skole',
    approver: 'web',
    items: [
      {
        type: 'page',
        title: 'Skolestart i 0. klasse',
        summary: 'Dit barn skal begynde i skole i august det år, det fylder seks. Indskrivningen er i december og januar.',
        body: '## Sådan skriver du dit barn ind\n\nDu skriver dit barn ind på Aula fra 1. december til 15. januar. Du skal bruge MitID.\n\n## Besøgsdage\n\nVi holder besøgsdage for de nye elever i maj. Her møder barnet sin lærer og sin klasse.\n\n## Spørgsmål\n\nRing til skolens kontor på 74 92 85 00.',
        menu: 'Skolestart',
      },
      {
        type: 'page',
        title: 'SFO – åbningstider og tilmelding',
        summary: 'SFO’en har åbent fra 6.15 til skolestart og fra skoletid til 17.00. Du tilmelder på Aula.',
        body: '## Åbningstider\n\n- Mandag–torsdag: 6.15–8.00 og 12.00–17.00\n- Fredag: 6.15–8.00 og 12.00–16.00\n\nI skoleferier holder SFO’en åbent 6.15–16.00. Vi holder lukket i juli.\n\n## Tilmelding\n\nDu tilmelder og udmelder på Aula. Der er en måneds opsigelse.',
        menu: 'SFO',
      },
      {
        type: 'news',
        title: 'Ny legeplads er klar til frikvarteret',
        summary: 'Eleverne har selv været med til at vælge klatrestativ, bålplads og boldbane.',
        body: 'Efter sommerferien står den nye legeplads klar. Elevrådet har været med hele vejen.\n\nTak til skolebestyrelsen og Grundejerforeningen for støtten.',
      },
      {
        type: 'news',
        title: 'Motionsdag fredag – husk tøj efter vejret',
        summary: 'Alle klasser løber eller går ruten rundt om Tønder. Vi slutter med boller og kakao.',
        body: 'Motionsdagen begynder kl. 8.15 i skolegården. Husk drikkedunk og tøj efter vejret.\n\nEleverne har fri kl. 12.',
      },
    ],
  },
  {
    unit: 'biblioteket',
    kind: 'subsite',
    name: 'Tønder Bibliotek',
    slug: 'biblioteket',
    host: null,
    intro: 'Bibliotekerne i Tønder, Toftlund, Skærbæk og Bredebro: lån bøger, film og musik, læs aviser og mød andre.',
    group: { name: 'Redaktører for Bibliotekets subsite', members: [['web', 'lead'], ['intra', 'member']] },
    author: 'web',
    approver: 'intra',
    items: [
      {
        type: 'page',
        title: 'Lån og aflever',
        summary: 'Du kan låne i 30 dage og forny to gange, hvis ingen andre venter. Aflever i automaten eller postkassen.',
        body: '## Lånetid\n\nDu låner bøger i 30 dage og film i 14 dage. Du kan forny på bibliotek.dk.\n\n## For sen aflevering\n\nEr du for sen, sender vi en påmindelse. Voksne betaler gebyr fra dag 8.',
        menu: 'Lån og aflever',
      },
      {
        type: 'page',
        title: 'Åbent bibliotek med sundhedskort',
        summary: 'Med dit sundhedskort og en pinkode kan du komme ind på biblioteket kl. 7–22 hver dag.',
        body: 'Du skal være fyldt 15 år. Få din pinkode ved skranken, når der er betjening.\n\nBørn under 15 år må komme med en voksen.',
        menu: 'Åbent bibliotek',
      },
      {
        type: 'news',
        title: 'Læseklubber for børn starter igen',
        summary: 'Børn i 3.–6. klasse kan være med i en læseklub hver anden tirsdag. Det er gratis.',
        body: 'Vi læser en bog sammen og taler om den. Der er saftevand og kage.\n\nTilmeld dit barn ved skranken.',
      },
    ],
  },
  {
    unit: 'kultur-og-fritid',
    kind: 'independent',
    name: 'Kulturnat i Tønder',
    slug: 'kulturnat',
    host: 'kulturnat.toender.dk',
    intro: 'Én aften, hele byen: musik, teater, museer og butikker holder åbent til midnat. Gratis adgang.',
    group: { name: 'Redaktører for Kulturnat i Tønder', members: [['web', 'lead'], ['intra', 'member']] },
    author: 'intra',
    approver: 'web',
    items: [
      {
        type: 'page',
        title: 'Program for Kulturnat',
        summary: 'Over 40 steder i byen holder åbent fra kl. 17 til midnat.',
        body: '## Kl. 17–19\n\nBørneteater på Torvet og åbne værksteder i Kulturhuset.\n\n## Kl. 19–22\n\nKoncerter på Tønder Museum og i kirken.\n\n## Kl. 22–24\n\nLysshow ved Vidåen.',
        menu: 'Program',
      },
      {
        type: 'page',
        title: 'Praktisk information om Kulturnat',
        summary: 'Parkér ved Tønder Hallen og tag den gratis bus ind til byen.',
        body: 'Busserne kører hvert kvarter fra kl. 16.30. Alle steder er gratis.\n\nDer er toiletter på Torvet og ved Museet.',
        menu: 'Praktisk',
      },
    ],
  },
];

async function actorByKey(db: Db, key: string): Promise<Actor> {
  const person = await org.findPersonRowByEmail(db, `${key}@demo.mediehus.dk`);
  if (!person) throw new Error(`Demo-personen ${key} mangler; læg demo-kommunen ind først.`);
  return actorFor(db, person, null);
}

/** Lays the demo's sites in after the organisation and content exist; it does nothing if there are sites already. */
export async function seedDemoSites(db: Db): Promise<boolean> {
  if (await db.selectFrom('sites').select('id').limit(1).executeTakeFirst()) return false;
  const seedActor = { actorId: null, actorLabel: 'demo-seed', ip: null };
  const units = new Map((await db.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));

  for (const s of DEMO_SITES) {
    const unitId = units.get(s.unit);
    if (!unitId) throw new Error(`Demo-enheden ${s.unit} mangler.`);
    const siteId = newId();
    await db.transaction().execute(async (tx) => {
      const person = async (key: string) => (await org.findPersonRowByEmail(tx, `${key}@demo.mediehus.dk`))!.id;
      if ('existing' in s.group) {
        const group = (await org.listGroups(tx)).find((g) => g.name === (s.group as { existing: string }).existing)!;
        for (const [key, role] of s.group.add) await org.setMember(tx, group.id, await person(key), role);
      } else {
        const groupId = await org.insertGroup(tx, { name: s.group.name, kind: 'subsite_editors', channel: null, subsiteUnitId: unitId, purpose: null, endsOn: null });
        for (const [key, role] of s.group.members) await org.setMember(tx, groupId, await person(key), role);
        await audit(tx, { ...seedActor, action: 'group.created', objectType: 'group', objectId: groupId, details: { name: s.group.name } });
      }
      const now = nowIso();
      await sites.insertSite(tx, {
        id: siteId,
        kind: s.kind,
        unit_id: unitId,
        name: s.name,
        slug: s.slug,
        host: s.host,
        intro: s.intro,
        menu: '[]',
        slot_count: 6,
        active: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      });
      await audit(tx, { ...seedActor, action: 'site.created', objectType: 'site', objectId: siteId, details: { kind: s.kind, name: s.name, slug: s.slug, host: s.host } });
    });

    const [author, approver] = [await actorByKey(db, s.author), await actorByKey(db, s.approver)];
    const menu: { text: string; href: string }[] = [];
    for (const item of s.items) {
      const { id } = await createItem(db, author, item.type, {
        title: item.title,
        summary: item.summary,
        body: item.body,
        ownerUnitId: unitId,
        contact: '',
        topics: [],
        language: 'da',
        reviewBy: null,
        images: [],
        placements: [{ channel: 'subsite', unitId }],
        fields: {},
      });
      await transition(db, author, id, 'submit');
      await transition(db, approver, id, 'approve');
      await transition(db, approver, id, 'publish');
      const slug = (await db.selectFrom('items').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
      // On its own host name an independent website's pages are at /<item>; a subsite's at /<site>/<item>.
      if (item.menu) menu.push({ text: item.menu, href: s.kind === 'independent' ? `/${slug}` : `/${s.slug}/${slug}` });
    }
    await db.transaction().execute(async (tx) => {
      await sites.updateSite(tx, siteId, { menu: JSON.stringify(menu) });
      await bumpSiteGeneration(tx);
    });
  }
  return true;
}
