import { createItem, saveItem, transition } from '../content/service.ts';
import type { ItemType, Placement } from '../content/types.ts';
import type { Actor } from '../org/actor.ts';
import type { JobRole } from '../org/model.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';
import { actorFor } from '../signin/actors.ts';

// The demo municipality's content, written by its editors through the same services as the editor screens,
// so revisions, the second pair of eyes, audit entries and outbox events are all real.
//
// Who writes and who approves follows the demo's editor groups: Jonas (web) and Line (intra) both edit the
// website and the intranet and approve each other's work; Rasmus (app) edits the app and Line approves it.
// Only Line edits the app together with another channel, and nobody else may publish there, so an item in
// the app and in the website or intranet could never get a second pair of eyes: app items live in the app alone.

type Editor = 'web' | 'intra' | 'app';

/**
 * How far an item gets: most are approved by the other editor and published; the rest show the other
 * corners of the workflow on the editors' start page.
 */
type Flow =
  | 'publish'
  | 'draft'
  | 'in_review'
  | 'scheduled'
  /** Published without approval; stays marked "not reviewed". */
  | 'emergency'
  /** Published, then changed: a pending draft over the live edition. */
  | 'edited';

interface DemoItem {
  type: ItemType;
  /** Slug of the owner unit. */
  owner: string;
  by: Editor;
  flow?: Flow;
  title: string;
  summary: string;
  body: string;
  contact: string;
  topics: string[];
  /** Days from the seed date; left out: no review-by date. */
  reviewInDays?: number;
  placements: Placement[];
  fields?: Record<string, unknown>;
  /** Where the first revision differed; the author's next save brings the text above, so the history has two. */
  firstDraft?: { text: Partial<Text>; then: string };
  /** The change made after publishing, for flow "edited". */
  edit?: { text: Partial<Text>; note: string };
  /** Why it could not wait for approval, for flow "emergency". */
  emergencyReason?: string;
}

type Text = Pick<DemoItem, 'title' | 'summary' | 'body'>;

const website = (section: 'borger' | 'erhverv' | 'nyheder' | 'arrangementer'): Placement => ({ channel: 'website', section });
const app = (section: 'nyheder' | 'arrangementer' | 'kampagner' | 'leder-gps' | 'genveje'): Placement => ({ channel: 'app', section });
const intranet = (audience: { everyone?: boolean; roles?: JobRole[]; unitIds?: string[] }): Placement => ({
  channel: 'intranet',
  everyone: audience.everyone ?? false,
  roles: audience.roles ?? [],
  unitIds: audience.unitIds ?? [],
  groupIds: [],
});

/** Copenhagen dates and local times counted from the seed date, so the demo always looks current. */
function calendar(now: Date) {
  const day = (offset: number) => localDate(new Date(now.getTime() + offset * 86_400_000));
  return { day, at: (offset: number, time: string) => `${day(offset)}T${time}` };
}

const BORGERSERVICE = 'Borgerservice, tlf. 74 92 92 92, borgerservice@toender.dk';

function demoItems(units: Map<string, string>, now: Date): DemoItem[] {
  const { day, at } = calendar(now);
  const unit = (slug: string) => units.get(slug)!;
  return [
    // ---- service pages for citizens and businesses ----
    {
      type: 'page',
      owner: 'borgerservice',
      by: 'web',
      title: 'Flytning',
      summary: 'Meld flytning senest fem dage efter, du er flyttet. Du gør det på borger.dk med MitID.',
      body: [
        '## Meld flytning senest fem dage efter',
        'Du skal melde flytning, når du får en ny adresse. Det skal ske senest fem dage efter, du er flyttet.',
        'Du melder flytning på [borger.dk](https://www.borger.dk/bolig-og-flytning/flytning). Du skal bruge MitID.',
        '## Det sker, når du har meldt flytning',
        'Vi retter din adresse i CPR. Din læge, din bank og Skat får den nye adresse af sig selv.',
        'Du skal selv give besked til dit forsikringsselskab. Husk også el, vand og internet.',
        '## Flytter du med børn?',
        'Husk at melde flytning for hele familien. Børn under 15 år flytter med en af deres forældre.',
        '## Kan du ikke bruge MitID?',
        'Kom i Borgerservice. Vi hjælper dig med at melde flytning. Du skal ikke bestille tid.',
      ].join('\n\n'),
      contact: BORGERSERVICE,
      topics: ['Flytning', 'Adresse'],
      reviewInDays: 300,
      placements: [website('borger')],
    },
    {
      type: 'page',
      owner: 'borgerservice',
      by: 'web',
      title: 'Pas',
      summary: 'Bestil tid i Borgerservice, når du skal have nyt pas. Her kan du se prisen, og hvad du skal have med.',
      body: [
        '## Bestil tid i Borgerservice',
        'Du skal møde op i Borgerservice for at få et nyt pas. Bestil tid på toender.dk eller ring på 74 92 92 92.',
        '## Det skal du have med',
        '- Dit gamle pas, hvis du har et\n- Dit sundhedskort\n- Din dåbsattest eller navneattest, hvis du ikke har haft pas før',
        'Vi tager billedet af dig her. Du skal ikke selv have et foto med.',
        '## Pris',
        '- Voksne fra 18 til 64 år: 709 kr.\n- Børn under 18 år: 196 kr.\n- Voksne fra 65 år: 409 kr.',
        'Du betaler, når du bestiller passet.',
        '## Hvornår er passet klar?',
        'Passet er klar efter cirka tre uger. Du får en sms, når du kan hente det.',
      ].join('\n\n'),
      contact: BORGERSERVICE,
      topics: ['Pas', 'Rejse'],
      reviewInDays: 200,
      placements: [website('borger')],
      firstDraft: { text: { summary: 'Når du skal have nyt pas, skal du bestille tid i Borgerservice. Du skal også betale og have papirer med.' }, then: 'Resuméet siger nu, hvad siden handler om' },
    },
    {
      type: 'page',
      owner: 'toender-kommune',
      by: 'web',
      title: 'Affald',
      summary: 'Se hvornår vi tømmer din skraldespand, hvor genbrugspladserne er, og hvordan du kommer af med storskrald.',
      body: [
        '## Tømning af skraldespande',
        'Vi tømmer din skraldespand hver anden uge. Du kan se dine datoer i affaldskalenderen.',
        'Stil spanden ud til vejen senest kl. 6 på dagen. Låget skal kunne lukke.',
        '## Genbrugspladser',
        'Der er genbrugspladser i Tønder, Toftlund, Skærbæk og Bredebro. De har åbent alle ugens dage.',
        'Sorter dit affald, før du kører hjemmefra. Så går det hurtigt på pladsen.',
        '## Storskrald',
        'Vi henter storskrald fire gange om året. Bestil senest en uge før.',
        'Storskrald er fx møbler, madrasser og cykler. Stil det ved vejen aftenen før.',
      ].join('\n\n'),
      contact: 'Tønder Forsyning, tlf. 74 92 92 92',
      topics: ['Affald', 'Genbrug'],
      reviewInDays: 250,
      placements: [website('borger')],
      firstDraft: { text: { body: 'Vi tømmer din skraldespand hver anden uge. Du kan se dine datoer i affaldskalenderen.\n\nDer er genbrugspladser i Tønder, Toftlund, Skærbæk og Bredebro.' }, then: 'Tilføjet storskrald og mere om genbrugspladserne' },
    },
    {
      type: 'page',
      owner: 'toender-kommune',
      by: 'intra',
      title: 'Byggetilladelse',
      summary: 'Læs om, hvornår du skal have en byggetilladelse, og hvordan du søger på Byg og Miljø.',
      body: [
        '## Skal du have en tilladelse?',
        'Du skal tit have en tilladelse, før du bygger. Det gælder fx et nyt hus eller en tilbygning.',
        'Små skure og carporte kan du ofte bygge uden. Men du skal stadig følge reglerne.',
        '## Sådan søger du',
        'Du søger på [Byg og Miljø](https://bygogmiljoe.dk). Du logger på med MitID.',
        'Send tegninger med, og skriv hvad du vil bygge.',
        '## Hvor lang tid tager det?',
        'Vi svarer som regel inden for 40 dage. Det tager længere tid, hvis vi mangler noget fra dig.',
      ].join('\n\n'),
      contact: 'Byg og Miljø, tlf. 74 92 92 92, byg@toender.dk',
      topics: ['Byggeri'],
      reviewInDays: 320,
      placements: [website('borger')],
    },
    {
      type: 'page',
      owner: 'borgerservice',
      by: 'intra',
      title: 'Parkeringslicens',
      summary: 'Bor du i midtbyen i Tønder? Så kan du købe en licens til at parkere tæt på dit hjem.',
      body: [
        'Bor du i midtbyen i Tønder? Så kan du købe en licens til at parkere tæt på dit hjem.',
        '## Hvem kan få en licens?',
        'Du skal bo i zonen ved Storegade og Vestergade. Bilen skal være din eller din arbejdsgivers.',
        '## Pris',
        'En licens koster 300 kr. for et år. Du betaler med kort, når du søger.',
        '## Sådan søger du',
        'Skriv til Borgerservice, eller kom forbi. Husk bilens nummer.',
      ].join('\n\n'),
      contact: BORGERSERVICE,
      topics: ['Parkering', 'Trafik'],
      // Past its review-by date, so the owner unit is reminded to check it.
      reviewInDays: -14,
      placements: [website('borger')],
    },
    {
      type: 'page',
      owner: 'boern-og-skole',
      by: 'web',
      title: 'Skolestart',
      summary: 'Dit barn starter i skole i august det år, det fylder 6 år. Du skriver barnet ind på Aula.',
      body: [
        'Dit barn skal starte i skole i det år, hvor barnet fylder 6 år. Skolen starter i august.',
        '## Indskrivning',
        'Du skriver dit barn ind på Aula i november og december. Du får et brev i e-Boks, når du kan gøre det.',
        'Barnet får plads på sin distriktsskole. Du kan også ønske en anden skole.',
        '## SFO',
        'De fleste børn starter i SFO 1. april. Så lærer de skolen at kende før sommer.',
        'Du skal selv melde dit barn ind i SFO.',
        '## Har du spørgsmål?',
        'Ring til skolen, eller skriv til Børn og Skole.',
      ].join('\n\n'),
      contact: 'Børn og Skole, tlf. 74 92 92 92',
      topics: ['Skole', 'Børn'],
      reviewInDays: 150,
      placements: [website('borger')],
    },
    {
      type: 'page',
      owner: 'toender-kommune',
      by: 'intra',
      title: 'Affald fra din virksomhed',
      summary: 'Alle virksomheder skal sortere deres affald. Her kan du se, hvem der henter det, og hvad det koster.',
      body: [
        'Alle virksomheder skal sortere deres affald. Det gælder også små firmaer.',
        '## Hvem henter affaldet?',
        'Du vælger selv et firma, der henter dit affald. Du kan også bruge vores genbrugspladser mod et gebyr.',
        '## Farligt affald',
        'Olie, maling og kemi er farligt affald. Det skal altid afleveres for sig. Gem kvitteringen.',
      ].join('\n\n'),
      contact: 'Erhvervsservice, tlf. 74 92 92 92, erhverv@toender.dk',
      topics: ['Affald', 'Erhverv'],
      reviewInDays: 280,
      placements: [website('erhverv')],
    },
    {
      type: 'page',
      owner: 'toender-kommune',
      by: 'web',
      title: 'Udeservering og skilte på fortovet',
      summary: 'Vil du stille borde eller skilte ud på fortovet? Så skal du have en tilladelse fra os.',
      body: [
        'Vil du stille borde eller skilte ud på fortovet? Så skal du have en tilladelse fra os.',
        '## Sådan søger du',
        'Send din ansøgning senest fire uger før. Vis på en tegning, hvor tingene skal stå.',
        'Der skal være halvanden meter fri plads til dem, der går forbi.',
        '## Pris',
        'Borde koster 50 kr. pr. kvadratmeter om året. Skilte er gratis.',
      ].join('\n\n'),
      contact: 'Vej og Park, tlf. 74 92 92 92, vej@toender.dk',
      topics: ['Erhverv', 'Vej og trafik'],
      reviewInDays: 340,
      placements: [website('erhverv')],
    },

    // ---- self-service entries ----
    ...(
      [
        ['Flytning', 'Meld flytning på borger.dk med MitID.', 'https://www.borger.dk/bolig-og-flytning/flytning', ['flytning', 'flytte', 'ny adresse', 'adresseændring', 'CPR'], 'borgerservice'],
        ['Pas', 'Bestil tid til nyt pas, og se hvad du skal have med.', 'https://www.borger.dk/internet-og-sikkerhed/pas', ['pas', 'nyt pas', 'rejse', 'bestil tid'], 'borgerservice'],
        ['Sygesikring', 'Skift læge, eller bestil nyt sundhedskort.', 'https://www.borger.dk/sundhed-og-sygdom/sygesikring', ['sundhedskort', 'gult kort', 'skift læge', 'sygesikring'], 'borgerservice'],
        ['Affaldskalender', 'Se hvornår vi tømmer din skraldespand.', 'https://www.toenderforsyning.dk/affald/affaldskalender', ['affald', 'skrald', 'tømning', 'storskrald'], 'toender-kommune'],
        ['Byggeansøgning via Byg og Miljø', 'Søg om byggetilladelse på Byg og Miljø.', 'https://bygogmiljoe.dk', ['byggetilladelse', 'byggeri', 'tilbygning', 'carport'], 'toender-kommune'],
        ['Ansøg om pladsanvisning', 'Søg plads i dagpleje, vuggestue eller børnehave.', 'https://www.borger.dk/familie-og-boern/boernepasning/pladsanvisning', ['dagpleje', 'vuggestue', 'børnehave', 'pasning'], 'boern-og-skole'],
      ] as const
    ).map(
      ([title, summary, targetUrl, keywords, owner], i): DemoItem => ({
        type: 'selfservice',
        owner,
        by: i % 2 ? 'web' : 'intra',
        title,
        summary,
        body: `${summary} Du kommer videre til den rigtige side med det samme.`,
        contact: owner === 'borgerservice' ? BORGERSERVICE : 'Tønder Kommune, tlf. 74 92 92 92',
        topics: ['Selvbetjening'],
        reviewInDays: 365,
        placements: [website('borger')],
        fields: { targetUrl, keywords: [...keywords] },
      }),
    ),

    // ---- news ----
    {
      type: 'news',
      owner: 'toender-kommune',
      by: 'web',
      title: 'Ny genbrugsplads åbner i Toftlund',
      summary: 'Om to uger åbner en ny genbrugsplads på Industrivej i Toftlund. Den har åbent alle ugens dage.',
      body: [
        'Om to uger åbner en ny genbrugsplads på Industrivej 4 i Toftlund.',
        'Pladsen er større end den gamle. Der er plads til flere biler ad gangen.',
        'Du kan aflevere alt det samme som før. Nu kan du også aflevere tøj og sko.',
        'Den gamle plads på Vestergade lukker, når den nye åbner.',
      ].join('\n\n'),
      contact: 'Tønder Forsyning, tlf. 74 92 92 92',
      topics: ['Affald', 'Genbrug'],
      placements: [website('nyheder'), intranet({ everyone: true }), app('nyheder')],
    },
    {
      type: 'news',
      owner: 'toender-kommune',
      by: 'web',
      flow: 'emergency',
      emergencyReason: 'Vejen lukker i morgen tidlig. Borgerne skal vide det i dag.',
      title: 'Vejarbejde på Vestergade',
      summary: 'Vestergade i Tønder er lukket for biler fra i morgen kl. 7. Vejen er lukket i tre uger.',
      body: [
        'Vestergade i Tønder er lukket for biler fra i morgen kl. 7. Vi skal lægge nye rør under vejen.',
        'Vejen er lukket i tre uger. Du kan stadig gå og cykle forbi.',
        'Bor du på Vestergade? Så kan du køre til dit hjem fra Storegade.',
        'Bussen kører ad Ribe Landevej i den tid.',
      ].join('\n\n'),
      contact: 'Vej og Park, tlf. 74 92 92 92',
      topics: ['Vej og trafik'],
      placements: [website('nyheder')],
    },
    {
      type: 'news',
      owner: 'byraadet',
      by: 'web',
      flow: 'edited',
      title: 'Byrådet har vedtaget budget 2027',
      summary: 'Byrådet har vedtaget budgettet for 2027. Der er flere penge til skoler, ældre og cykelstier.',
      body: [
        'Byrådet har vedtaget budgettet for 2027. Alle partier stemte for.',
        'Der er 12 mio. kr. mere til skolerne. Pengene går til flere lærere i de små klasser.',
        'Ældreplejen får 8 mio. kr. mere. Det giver mere tid hos hver borger.',
        'Der er også 5 mio. kr. til nye cykelstier mellem byerne.',
        'Du kan læse hele budgettet på toender.dk.',
      ].join('\n\n'),
      contact: 'Byrådet, byraad@toender.dk',
      topics: ['Politik', 'Budget'],
      placements: [website('nyheder'), intranet({ everyone: true }), app('nyheder')],
      edit: {
        text: {
          summary: 'Byrådet har vedtaget budgettet for 2027. Der er flere penge til skoler, ældre og cykelstier. Beløbet til cykelstier er rettet.',
          body: [
            'Byrådet har vedtaget budgettet for 2027. Alle partier stemte for.',
            'Der er 12 mio. kr. mere til skolerne. Pengene går til flere lærere i de små klasser.',
            'Ældreplejen får 8 mio. kr. mere. Det giver mere tid hos hver borger.',
            'Der er også 7 mio. kr. til nye cykelstier mellem byerne. Før stod der 5 mio. kr. Det var en fejl.',
            'Du kan læse hele budgettet på toender.dk.',
          ].join('\n\n'),
        },
        note: 'Rettet beløbet til cykelstier',
      },
    },
    {
      type: 'news',
      owner: 'biblioteket',
      by: 'web',
      flow: 'in_review',
      title: 'Biblioteket får længere åbningstider',
      summary: 'Fra næste måned har Biblioteket i Tønder åbent til kl. 20 på hverdage. Du låser dig ind med dit sundhedskort.',
      body: [
        'Fra næste måned har Biblioteket i Tønder åbent til kl. 20 på hverdage.',
        'Der er personale til kl. 18. Efter kl. 18 låser du dig ind med dit sundhedskort og en kode.',
        'Du kan låne og aflevere bøger, læse aviser og bruge pc. Du skal være over 15 år.',
        'Filialerne i Toftlund, Skærbæk og Bredebro har de samme tider som nu.',
      ].join('\n\n'),
      contact: 'Biblioteket, tlf. 74 92 89 00',
      topics: ['Bibliotek', 'Kultur'],
      placements: [website('nyheder')],
    },
    {
      type: 'news',
      owner: 'toender-kommune',
      by: 'intra',
      title: 'Få gratis vaccine mod influenza',
      summary: 'Er du over 65 år eller syg i længere tid? Så kan du få gratis vaccine mod influenza hos din læge.',
      body: [
        'Nu kan du blive vaccineret mod influenza. Det er gratis for nogle grupper.',
        '## Hvem får den gratis?',
        '- Alle over 65 år\n- Gravide\n- Børn fra 2 til 6 år\n- Voksne med visse sygdomme',
        '## Hvor kan du blive vaccineret?',
        'Du kan blive vaccineret hos din egen læge. Du kan også gå på apoteket. Bestil tid først.',
        'Ansatte i ældreplejen kan få vaccinen på jobbet. Spørg din leder.',
      ].join('\n\n'),
      contact: 'Sundhed og Ældre, tlf. 74 92 92 92',
      topics: ['Sundhed'],
      placements: [website('nyheder'), intranet({ everyone: true }), app('nyheder')],
    },
    {
      type: 'news',
      owner: 'borgerservice',
      by: 'web',
      flow: 'scheduled',
      title: 'Borgerservice holder lukket i julen',
      summary: 'Borgerservice holder lukket juleaftensdag og nytårsaftensdag. Du kan bruge borger.dk hele døgnet.',
      body: [
        'Borgerservice holder lukket juleaftensdag og nytårsaftensdag.',
        'De andre dage i julen har vi åbent som vi plejer.',
        'Du kan melde flytning, skifte læge og meget mere på borger.dk. Det kan du gøre hele døgnet.',
        'Vi ønsker alle en glædelig jul og et godt nytår.',
      ].join('\n\n'),
      contact: BORGERSERVICE,
      topics: ['Borgerservice', 'Åbningstider'],
      placements: [website('nyheder')],
    },

    // ---- events ----
    {
      type: 'event',
      owner: 'biblioteket',
      by: 'web',
      title: 'Læseklub på Biblioteket',
      summary: 'Vi mødes og taler om månedens bog. Alle kan være med, og det er gratis.',
      body: 'Vi mødes og taler om månedens bog. Der er kaffe og kage.\n\nDu kan låne bogen på Biblioteket. Tilmeld dig i skranken eller på tlf. 74 92 89 00.',
      contact: 'Biblioteket, tlf. 74 92 89 00',
      topics: ['Bibliotek', 'Kultur'],
      placements: [website('arrangementer'), app('arrangementer')],
      fields: { startsAt: at(5, '16:30'), endsAt: at(5, '18:00'), place: 'Biblioteket, Wegners Plads 6, 6270 Tønder' },
    },
    {
      type: 'event',
      owner: 'toender-kommune',
      by: 'intra',
      title: 'Borgermøde om cykelstier',
      summary: 'Hvor skal de nye cykelstier ligge? Kom og sig din mening til politikerne.',
      body: 'Byrådet har sat penge af til nye cykelstier. Nu vil vi gerne høre, hvor du cykler.\n\nVi viser et kort med de steder, vi har tænkt på. Der er kaffe fra kl. 18.30.',
      contact: 'Vej og Park, tlf. 74 92 92 92',
      topics: ['Vej og trafik', 'Politik'],
      placements: [website('arrangementer'), app('arrangementer')],
      fields: { startsAt: at(12, '19:00'), endsAt: at(12, '21:00'), place: 'Byrådssalen, Wegners Plads 2, 6270 Tønder' },
    },
    {
      type: 'event',
      owner: 'kultur-og-fritid',
      by: 'web',
      title: 'Fyraftensmøde for foreninger',
      summary: 'Er du med i en forening? Så kom til et møde om tilskud, lokaler og hjælp fra frivillige.',
      body: 'Vi fortæller, hvordan du søger penge. Vi viser også, hvordan du booker et lokale.\n\nBagefter kan du stille spørgsmål. Der er en sandwich til alle. Tilmeld dig senest en uge før.',
      contact: 'Kultur og Fritid, tlf. 74 92 88 00, kultur@toender.dk',
      topics: ['Foreninger', 'Kultur'],
      placements: [website('arrangementer'), app('arrangementer')],
      fields: { startsAt: at(16, '16:00'), endsAt: at(16, '18:00'), place: 'Tønder Kulturhus, Søndergade 2, 6270 Tønder' },
    },
    {
      type: 'event',
      owner: 'kultur-og-fritid',
      by: 'intra',
      title: 'Julekoncert i Tønder Kristkirke',
      summary: 'Hør kor og orgel i Tønder Kristkirke. Der er gratis adgang, så længe der er plads.',
      body: 'Tønder Kammerkor synger kendte julesange. Du kan også synge med på et par af dem.\n\nDørene åbner kl. 19. Der er gratis adgang, så længe der er plads.',
      contact: 'Kultur og Fritid, tlf. 74 92 88 00',
      topics: ['Musik', 'Jul'],
      placements: [website('arrangementer'), app('arrangementer')],
      fields: { startsAt: at(21, '19:30'), endsAt: at(21, '21:00'), place: 'Tønder Kristkirke, Kirkepladsen 1, 6270 Tønder' },
    },

    // ---- campaigns ----
    {
      type: 'campaign',
      owner: 'kultur-og-fritid',
      by: 'app',
      title: 'Bliv frivillig i din forening',
      summary: 'Foreningerne mangler hænder. Giv et par timer om ugen, og mød nye mennesker.',
      body: 'Foreningerne i Tønder Kommune mangler hjælp. Det kan være til træning, kaffe eller kørsel.\n\nDu bestemmer selv, hvor meget tid du giver.',
      contact: 'Kultur og Fritid, tlf. 74 92 88 00',
      topics: ['Foreninger', 'Frivillig'],
      placements: [app('kampagner')],
      fields: { startsOn: day(0), endsOn: day(45), callToActionText: 'Find en forening', callToActionUrl: 'https://www.toender.dk/frivillig' },
    },
    {
      type: 'campaign',
      owner: 'toender-kommune',
      by: 'web',
      flow: 'draft',
      title: 'Husk lys på cyklen',
      summary: 'Det er mørkt, når du cykler til skole og arbejde. Husk lys foran og bagpå.',
      body: 'Det er mørkt om morgenen nu. Husk lys foran og bagpå, når du cykler.',
      contact: 'Vej og Park, tlf. 74 92 92 92',
      topics: ['Vej og trafik'],
      placements: [website('borger')],
      fields: { startsOn: day(14), endsOn: day(60), callToActionText: '', callToActionUrl: '' },
    },

    // ---- knowledge articles on the intranet ----
    {
      type: 'knowledge',
      owner: 'sekretariat-it-og-hr',
      by: 'intra',
      title: 'Sådan melder du dig syg',
      summary: 'Ring til din leder før kl. 8 på første sygedag. Meld dig rask, når du kommer igen.',
      body: [
        '## Første sygedag',
        'Ring til din leder før kl. 8. Skriv ikke en sms. Din leder skal kunne tale med dig.',
        '## Når du er syg i længere tid',
        'Din leder ringer til dig inden for to uger. I taler om, hvordan du har det, og hvornår du kan komme igen.',
        '## Når du er rask',
        'Meld dig rask til din leder. Du kan også gøre det i Silkeborg Data.',
      ].join('\n\n'),
      contact: 'HR, tlf. 74 92 90 00, hr@toender.dk',
      topics: ['HR', 'Sygdom'],
      reviewInDays: 365,
      placements: [intranet({ everyone: true })],
    },
    {
      type: 'knowledge',
      owner: 'sekretariat-it-og-hr',
      by: 'intra',
      title: 'Sådan holder du en god MUS',
      summary: 'En guide til ledere: Forbered samtalen, lyt mest, og aftal få og klare mål.',
      body: [
        '## Før samtalen',
        'Send skemaet til medarbejderen to uger før. Læs sidste års aftaler igen.',
        '## Under samtalen',
        'Lyt mere, end du taler. Spørg til trivsel, opgaver og ønsker.',
        '## Efter samtalen',
        'Skriv de aftaler ned, I har lavet. Hold dem få og klare. Følg op efter et halvt år.',
      ].join('\n\n'),
      contact: 'HR, tlf. 74 92 90 00, hr@toender.dk',
      topics: ['Ledelse', 'HR'],
      reviewInDays: 365,
      placements: [intranet({ roles: ['manager'] })],
    },
    {
      type: 'knowledge',
      owner: 'dagplejen',
      by: 'intra',
      title: 'Hygiejne i dagplejen',
      summary: 'God hygiejne giver færre syge børn. Her er de vigtigste regler for dig, der er dagplejer.',
      body: [
        '## Vask hænder',
        'Vask hænder, når du kommer ind, før mad og efter hvert bleskift. Brug sæbe og vand.',
        '## Legetøj',
        'Vask legetøj en gang om ugen. Vask det med det samme, hvis et barn er syg.',
        '## Syge børn',
        'Et barn med feber skal hentes. Ring til forældrene, og giv din leder besked.',
      ].join('\n\n'),
      contact: 'Dagplejen, tlf. 74 92 81 00',
      topics: ['Dagpleje', 'Hygiejne'],
      reviewInDays: 365,
      placements: [intranet({ unitIds: [unit('dagplejen')] })],
    },

    // ---- Leder-GPS ----
    {
      type: 'leader_module',
      owner: 'sekretariat-it-og-hr',
      by: 'intra',
      title: 'Din første måned som leder',
      summary: 'Sådan kommer du godt fra start, når du bliver leder af medarbejdere.',
      body: 'Den første måned handler om at lære folk at kende. Du skal ikke ændre alt på en gang.',
      contact: 'HR, tlf. 74 92 90 00',
      topics: ['Ledelse', 'Leder-GPS'],
      reviewInDays: 365,
      placements: [app('leder-gps'), intranet({ roles: ['manager'] })],
      fields: {
        leadershipLevel: 'first_line',
        steps: ['Hold en kort samtale med hver medarbejder.', 'Lær jeres opgaver og mål at kende.', 'Aftal faste møder med din egen leder.', 'Fortæl holdet, hvordan du gerne vil arbejde.'],
        checklist: ['Adgang til løn og fravær', 'Møde med HR', 'Kalender med faste møder', 'Liste over medarbejdere og deres opgaver'],
      },
    },
    {
      type: 'leader_module',
      owner: 'sekretariat-it-og-hr',
      by: 'intra',
      title: 'Når du leder andre ledere',
      summary: 'Som leder af ledere skal du give dine ledere rum og retning. Her er en plan for de første uger.',
      body: 'Dine ledere skal kunne lede selv. Din opgave er at give dem mål, rum og sparring.',
      contact: 'HR, tlf. 74 92 90 00',
      topics: ['Ledelse', 'Leder-GPS'],
      reviewInDays: 365,
      placements: [app('leder-gps'), intranet({ roles: ['manager'] })],
      fields: {
        leadershipLevel: 'middle',
        steps: ['Hold en samtale med hver af dine ledere.', 'Aftal, hvad de selv bestemmer.', 'Hold et fast møde med alle dine ledere hver måned.', 'Følg op på budget og trivsel hvert kvartal.'],
        checklist: ['Oversigt over budget pr. enhed', 'Plan for ledermøder', 'Aftaler med hver leder', 'Tal for fravær og trivsel'],
      },
    },
    {
      type: 'leader_module',
      owner: 'sekretariat-it-og-hr',
      by: 'intra',
      title: 'Sæt retning for dit fagområde',
      summary: 'Som fagchef skal du sætte mål for hele området og arbejde på tværs af kommunen.',
      body: 'Du skal sætte retning for et helt område. Det gør du sammen med dine ledere og med de andre fagchefer.',
      contact: 'HR, tlf. 74 92 90 00',
      topics: ['Ledelse', 'Leder-GPS'],
      reviewInDays: 365,
      placements: [app('leder-gps'), intranet({ roles: ['manager'] })],
      fields: {
        leadershipLevel: 'function',
        steps: ['Lær byrådets mål for dit område at kende.', 'Lav tre klare mål for året sammen med dine ledere.', 'Find de opgaver, I løser sammen med andre områder.', 'Fortæl alle ansatte om målene.'],
        checklist: ['Mål for året', 'Plan for møder med andre fagchefer', 'Budget og prognose', 'Plan for at fortælle om målene'],
      },
    },

    // ---- alert, not yet published ----
    {
      type: 'alert',
      owner: 'toender-kommune',
      by: 'web',
      flow: 'draft',
      title: 'Glatte veje i morgen tidlig',
      summary: 'Der kan være isslag på vejene i morgen tidlig. Kør forsigtigt, og giv dig god tid.',
      body: 'Vi salter de store veje i nat. Små veje og cykelstier kan stadig være glatte.',
      contact: 'Vej og Park, tlf. 74 92 92 92',
      topics: ['Vej og trafik', 'Vejret'],
      placements: [website('borger')],
      fields: { severity: 'warning', area: 'Hele kommunen' },
    },
  ];
}

const EDITOR_EMAILS: Record<Editor, string> = { web: 'web@demo.mediehus.dk', intra: 'intra@demo.mediehus.dk', app: 'app@demo.mediehus.dk' };

/**
 * Lays the demo content in after the demo municipality exists. Every step opens its own transaction,
 * so this runs after `seedDemo` has committed; it does nothing if there is already content.
 */
export async function seedDemoContent(db: Db, now = new Date()): Promise<boolean> {
  if (await db.selectFrom('items').select('id').limit(1).executeTakeFirst()) return false;
  const editors = {} as Record<Editor, Actor>;
  for (const [key, email] of Object.entries(EDITOR_EMAILS) as [Editor, string][]) {
    const person = await findPersonRowByEmail(db, email);
    if (!person) throw new Error(`Demo-personen ${email} mangler; læg demo-kommunen ind først.`);
    editors[key] = await actorFor(db, person, null);
  }
  const units = new Map((await db.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));
  const { day, at } = calendar(now);

  for (const item of demoItems(units, now)) {
    const author = editors[item.by];
    const approver = editors[item.by === 'intra' ? 'web' : 'intra'];
    const input = (text: Partial<Text> = {}) => ({
      title: text.title ?? item.title,
      summary: text.summary ?? item.summary,
      body: text.body ?? item.body,
      ownerUnitId: units.get(item.owner)!,
      contact: item.contact,
      topics: item.topics,
      language: 'da',
      reviewBy: item.reviewInDays === undefined ? null : day(item.reviewInDays),
      images: [],
      placements: item.placements,
      fields: item.fields ?? {},
    });

    const { id } = await createItem(db, author, item.type, input(item.firstDraft?.text));
    let revision = 1;
    if (item.firstDraft) ({ revision } = await saveItem(db, author, id, input(), { baseRevision: revision, changeNote: item.firstDraft.then, major: false }));
    const flow = item.flow ?? 'publish';
    if (flow === 'draft') continue;
    if (flow === 'emergency') {
      await transition(db, author, id, 'emergency_publish', { reason: item.emergencyReason });
      continue;
    }
    await transition(db, author, id, 'submit');
    if (flow === 'in_review') continue;
    await transition(db, approver, id, 'approve');
    if (flow === 'scheduled') {
      await transition(db, approver, id, 'schedule', { at: at(7, '09:00') });
      continue;
    }
    await transition(db, approver, id, 'publish');
    if (flow === 'edited' && item.edit) {
      await saveItem(db, author, id, input(item.edit.text), { baseRevision: revision, changeNote: item.edit.note, major: true });
    }
  }
  return true;
}
