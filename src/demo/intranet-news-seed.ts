import { createItem, transition } from '../content/service.ts';
import type { ItemType, Placement } from '../content/types.ts';
import type { JobRole } from '../org/model.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';
import { actorFor } from '../signin/actors.ts';

// Targeted intranet news, events and a service message: each reaches only its audience, so signing in as the
// demo's employee, manager or politician shows three different home pages (I8). Written by the intranet editor
// and approved by the website editor, as in the content hub's demo.

interface IntranetDemoItem {
  type: ItemType;
  owner: string;
  title: string;
  summary: string;
  body: string;
  contact?: string;
  topics: string[];
  audience: { everyone?: boolean; roles?: JobRole[]; units?: string[] };
  fields?: Record<string, unknown>;
}

function items(now: Date): IntranetDemoItem[] {
  const day = (offset: number) => localDate(new Date(now.getTime() + offset * 86_400_000));
  const at = (offset: number, time: string) => `${day(offset)}T${time}`;
  return [
    {
      type: 'alert',
      owner: 'sekretariat-it-og-hr',
      title: 'Planlagt IT-vedligehold lørdag',
      summary: 'Lørdag fra kl. 8 til 14 kan du ikke logge på Opus, eDoc og e-mail hjemmefra. TønderPortalen virker som normalt.',
      body: 'Vi opdaterer kommunens servere lørdag mellem kl. 8 og 14.\n\nImens kan du ikke bruge Opus, eDoc og e-mail hjemmefra. Vagter på plejecentrene og i hjemmeplejen bruger de lokale nødprocedurer.\n\nRing til IT-hjælpen på 74 92 90 90, hvis noget ikke virker mandag morgen.',
      contact: 'IT-hjælpen, tlf. 74 92 90 90',
      topics: ['IT'],
      audience: { everyone: true },
      fields: { severity: 'info', area: 'Alle arbejdspladser' },
    },
    {
      type: 'news',
      owner: 'sekretariat-it-og-hr',
      title: 'Ny aftale om ledernes løn og arbejdstid',
      summary: 'Den nye overenskomst for ledere træder i kraft 1. april. Her er det vigtigste for dig som leder.',
      body: '## Det vigtigste\n\n- Lønnen stiger med 2,3 procent fra 1. april.\n- Du kan aftale en fast ugentlig hjemmearbejdsdag med din chef.\n- Lederuddannelsen betales nu af den centrale uddannelsespulje.\n\nHR holder et kort møde for alle ledere den 12. december. Du får en invitation i din kalender.',
      contact: 'HR, tlf. 74 92 90 20',
      topics: ['Løn og ansættelse'],
      audience: { roles: ['manager'] },
    },
    {
      type: 'news',
      owner: 'dagplejen',
      title: 'Legestuen flytter til Bevtoft Forsamlingshus',
      summary: 'Fra januar mødes dagplejerne i område Syd i Bevtoft hver tirsdag.',
      body: 'Legestuen i område Syd flytter fra Toftlund til Bevtoft fra 1. januar.\n\nVi mødes hver tirsdag kl. 9–11. Der er plads til barnevogne i gangen. Huset har en lukket have.\n\nMeld afbud til din pædagog, hvis du ikke kommer.',
      contact: 'Dagplejen, tlf. 74 92 81 00',
      topics: ['Dagplejen'],
      audience: { units: ['dagplejen'] },
    },
    {
      type: 'news',
      owner: 'boern-og-skole',
      title: 'Aula får ny forside for medarbejdere',
      summary: 'Efter juleferien ser Aula anderledes ud, når du logger på som medarbejder i Børn og Skole.',
      body: 'Den nye forside samler beskeder, kalender og opslag på ét sted.\n\nDer er korte introduktionsvideoer på Aulas hjemmeside, og jeres Aula-ansvarlige kan hjælpe, hvis I har spørgsmål.',
      topics: ['IT', 'Skole og dagtilbud'],
      audience: { units: ['boern-og-skole'] },
    },
    {
      type: 'news',
      owner: 'byraadet',
      title: 'Materiale til budgetseminaret er klar',
      summary: 'Dagsorden og tal ligger nu klar til byrådets medlemmer.',
      body: 'Vi mødes på Schackenborg den 8. og 9. januar.\n\nAlt er fortroligt, til der er et forlig. Du får brev om hotel og bus i næste uge.',
      contact: 'Byrådssekretariatet, byraad@toender.dk',
      topics: ['Politik'],
      audience: { roles: ['politician'] },
    },
    {
      type: 'news',
      owner: 'kultur-og-fritid',
      title: 'Julefrokost i Kultur og Fritid',
      summary: 'Sæt kryds i kalenderen fredag den 11. december – vi mødes i Tønder Kulturhus.',
      body: 'Festudvalget har booket Kulturhusets café. Der er julebuffet, musik og pakkeleg.\n\nTilmeld dig til Peter senest den 1. december.',
      topics: ['Arbejdsplads'],
      audience: { units: ['kultur-og-fritid'] },
    },
    {
      type: 'event',
      owner: 'sekretariat-it-og-hr',
      title: 'Fællesmøde for alle ansatte',
      summary: 'Direktøren fortæller om budget 2027 og om vores nye plan. Mødet kan ses på nettet.',
      body: 'Du kan komme i salen eller se med her på portalen. Der er tid til spørgsmål til sidst.',
      topics: ['Arbejdsplads'],
      audience: { everyone: true },
      fields: { startsAt: at(9, '14:00'), endsAt: at(9, '15:00'), place: 'Byrådssalen, Wegners Plads 2, 6270 Tønder' },
    },
    {
      type: 'event',
      owner: 'sekretariat-it-og-hr',
      title: 'Ledertræf: trivsel og fravær',
      summary: 'En eftermiddag for alle ledere om at forebygge sygefravær, med oplæg og erfaringsudveksling.',
      body: 'HR og arbejdsmiljøkonsulenterne står for programmet. Der serveres kaffe og kage.',
      topics: ['Ledelse'],
      audience: { roles: ['manager'] },
      fields: { startsAt: at(14, '13:00'), endsAt: at(14, '16:00'), place: 'Mødelokale 1, Wegners Plads 2, 6270 Tønder' },
    },
  ];
}

/** Lays the targeted intranet items in; nothing happens if they are there already. */
export async function seedDemoIntranetNews(db: Db, now = new Date()): Promise<void> {
  const author = await actorFor(db, (await findPersonRowByEmail(db, 'intra@demo.mediehus.dk'))!, null);
  const approver = await actorFor(db, (await findPersonRowByEmail(db, 'web@demo.mediehus.dk'))!, null);
  const units = new Map((await db.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));
  for (const item of items(now)) {
    if (await db.selectFrom('items').select('id').where('title', '=', item.title).executeTakeFirst()) continue;
    const placement: Placement = {
      channel: 'intranet',
      everyone: item.audience.everyone ?? false,
      roles: item.audience.roles ?? [],
      unitIds: (item.audience.units ?? []).map((slug) => units.get(slug)!),
      groupIds: [],
    };
    const { id } = await createItem(db, author, item.type, {
      title: item.title,
      summary: item.summary,
      body: item.body,
      ownerUnitId: units.get(item.owner)!,
      contact: item.contact ?? '',
      topics: item.topics,
      language: 'da',
      reviewBy: null,
      images: [],
      placements: [placement],
      fields: item.fields ?? {},
    });
    await transition(db, author, id, 'submit');
    await transition(db, approver, id, 'approve');
    await transition(db, approver, id, 'publish');
  }
}
