import type { Category } from './categories.ts';
import { CPR_PATTERN } from './cpr.ts';

/**
 * One moderation rule, as data the social editor group can read and change.
 *
 * - `words`: whole words or phrases, matched in lower case with punctuation as word boundaries; a letter may be
 *   repeated ("idioooot"), "å" may be written "aa"; "*" inside a word stands for any letters ("lorte*"), a "*" on
 *   its own for any one word ("brænde * ned").
 * - `patterns`: regular expressions over the lower-cased comment with its punctuation and digits kept;
 *   `\b` is a Danish word boundary.
 * - `near`: the rule counts only where one of these words is within `within` words of the match.
 * - `unless`: a match is cancelled when one of these words is within `unlessWithin` words (e.g. praise).
 */
export interface Rule {
  id: string;
  category: Exclude<Category, 'ok'>;
  /** Danish explanation, shown as the reason next to the matched words. */
  label: string;
  words?: string[];
  patterns?: string[];
  near?: string[];
  unless?: string[];
  /** Words of distance for `near`; 5 when left out. */
  within?: number;
  /** Words of distance for `unless`; `within` when left out. */
  unlessWithin?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared word lists. The rules below copy them in, so a stored rule is complete on its own.

/** Words that point at one other person, not at the municipality as a whole. */
const OTHER_PERSON = ['han', 'hun', 'ham', 'hende', 'hans', 'hendes', 'deres', 'hedder', 'naboen', 'naboens', 'nabo', 'manden', 'damen', 'dame', 'kvinden', 'drengen', 'pigen', 'fyren', 'konen', 'familien'];

/** Job titles by which a citizen points out one employee. The mayor is not among them: criticism of a politician
 * is political debate. */
const EMPLOYEE = ['sagsbehandler*', 'lærer', 'læreren', 'lærerinde*', 'pædagog*', 'dagplejer*', 'pedel*', 'skoleleder*', 'chauffør*', 'medarbejder*', 'hjemmehjælper*', 'sosu*', 'direktør*', 'chefen', 'afdelingsleder*'];

/** One employee pointed out as "the" one ("sagsbehandleren"); "min sagsbehandler" is the writer's own case. */
const EMPLOYEE_NAMED = ['sagsbehandleren', 'læreren', 'lærerinden', 'pædagogen', 'dagplejeren', 'pedellen', 'skolelederen', 'chaufføren', 'medarbejderen', 'hjemmehjælperen', 'direktøren', 'chefen', 'afdelingslederen'];

/** Common Danish first names; names that are also ordinary words ("Bo", "Per", "Hans", "Tage") are left out. */
const FIRST_NAMES = [
  'anne', 'kirsten', 'mette', 'hanne', 'anna', 'helle', 'susanne', 'lene', 'maria', 'marianne', 'lone', 'camilla', 'pia', 'louise', 'charlotte',
  'tina', 'gitte', 'bente', 'jette', 'karen', 'karin', 'inge', 'ida', 'julie', 'emma', 'sofie', 'maja', 'laura', 'birgitte', 'birthe', 'dorthe',
  'annette', 'rikke', 'heidi', 'trine', 'malene', 'pernille', 'vibeke', 'signe', 'katrine', 'christina', 'sanne', 'bodil', 'inger', 'ulla',
  'grethe', 'hanna', 'ellen', 'jytte', 'ruth', 'nanna', 'lotte', 'tanja', 'mia', 'freja', 'clara', 'josefine', 'cecilie', 'stine', 'sara',
  'peter', 'jens', 'lars', 'michael', 'henrik', 'thomas', 'søren', 'jan', 'niels', 'christian', 'martin', 'jørgen', 'anders', 'morten',
  'jesper', 'ole', 'erik', 'kim', 'mads', 'rasmus', 'poul', 'john', 'kurt', 'torben', 'carsten', 'karsten', 'frank', 'claus', 'klaus',
  'steen', 'allan', 'flemming', 'kenneth', 'brian', 'finn', 'bjarne', 'jakob', 'jacob', 'mikkel', 'kristian', 'tommy', 'henning', 'benny',
  'leif', 'preben', 'knud', 'svend', 'erling', 'arne', 'jonas', 'frederik', 'emil', 'william', 'oliver', 'magnus', 'mathias', 'simon',
  'nikolaj', 'tobias', 'jeppe', 'dennis', 'rene', 'bjørn', 'gunnar', 'villy', 'egon', 'ejner', 'bent', 'jannik', 'kasper', 'casper',
];

/** The writer's own family, by which a health or social detail becomes the writer's own case. */
const OWN_FAMILY = [
  'min mor', 'min far', 'min søn', 'min datter', 'min mand', 'min kone', 'min hustru', 'min samlever', 'min kæreste', 'mit barn', 'mine børn',
  'vores børn', 'vores søn', 'vores datter', 'vores barn', 'min bror', 'min søster', 'min mormor', 'min farmor', 'min morfar', 'min farfar',
  'min bedstemor', 'min bedstefar', 'mit barnebarn', 'mine forældre', 'min svigermor', 'min svigerfar', 'min dreng', 'min pige',
  'vores dreng', 'vores pige', 'vores mor', 'vores far',
];

/** Health and social details: a personal case, the writer's own or someone else's. */
const HEALTH_AND_SOCIAL = [
  'adhd', 'autisme', 'autist*', 'demens', 'dement', 'demente', 'alzheimer*', 'kræft', 'cancer', 'sclerose', 'parkinson*', 'depression',
  'depressiv', 'angst', 'stress', 'sygemeldt', 'sygemelding*', 'sygedagpenge', 'kontanthjælp', 'dagpenge', 'førtidspension', 'fleksjob',
  'ressourceforløb', 'jobcenter', 'jobcentret', 'hjemmehjælp*', 'hjemmepleje*', 'plejehjem*', 'plejebolig*', 'plejeseng*', 'aflastning*',
  'bostøtte', 'boligstøtte', 'udredning*', 'ppr', 'specialskole*', 'specialbørnehave*', 'specialklasse*', 'støttetime*', 'anbragt',
  'anbringelse*', 'tvangsfjernet', 'visiteret', 'visitation*', 'handicapbil*', 'hjælpemid*', 'trappelift*', 'enkeltydelse*', 'kørestol*',
  'hospital*', 'indlagt', 'diagnose*', 'bevilget', 'underretning*', 'misbrug*', 'alkoholiker*', 'drikker', 'blevet skilt', 'psykiatri*',
  'psykisk syg', 'handicappet', 'genoptræning*', 'arbejder sort',
];

/** Words that say something degrading about a person. */
const DEGRADING = [
  'klovn*', 'taber', 'tabere', 'taberen', 'tåbe', 'tåber', 'fjols*', 'nar', 'narren', 'løgner*', 'idiot', 'idioten', 'kælling*', 'heks',
  'sladretante*', 'kryb', 'svin', 'grim', 'grimme', 'fed', 'klam', 'klamt', 'klamme', 'dum', 'doven', 'dovne', 'inkompetent', 'uduelig*',
  'ubrugelig', 'elendig', 'skændsel', 'afskum', 'patetisk', 'ynkelig', 'klaphat*', 'kvajpande*', 'spasser*', 'tumpe*', 'bondeknold*',
  'burde fyres', 'skal fyres', 'bør fyres', 'burde skamme sig', 'bør skamme sig', 'skal skamme sig', 'holde sin kæft', 'hold din kæft',
];

const PRAISE = ['godt', 'flot', 'flotte', 'fedt', 'sejt', 'dejligt', 'lækkert', 'super', 'fantastisk', 'skønt', 'smukt', 'tak', 'genialt', 'cool', 'nice', 'imponerende', 'bedste', 'elsker', 'sjovt', 'godt gået'];

/** How a citizen passes on what the news said: reported politics, not the writer's own political debate. */
const REPORTED = ['i avisen', 'ifølge', 'står der', 'stod der', 'skriver avisen', 'læste', 'læser', 'sagde i', 'tv syd', 'jydskevestkysten', 'har vedtaget', 'vedtog', 'har besluttet', 'besluttede'];

// Pattern pieces, kept apart so the patterns stay readable.
const CPR = CPR_PATTERN;
const PHONE = String.raw`(?:\+45\s?)?\d(?<![\d+]\d)\d\s?\d{2}\s?\d{2}\s?\d{2}(?!\d)`;
const EMAIL = String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}`;
// The street is a compound ("Søndergade"); the match starts at its last letters and is shown as the whole word.
const STREET_ADDRESS = String.raw`\p{L}(?:gade|vej|vænget|vænge|stræde|allé|torv|plads|parken|bakken|gyden|vang|løkke|engen|stien)\s+\d+[a-z]?\b`;
const HOUSE_NUMBER = String.raw`\bnr\.?\s*\d+\b`;
const LINK = String.raw`(?:https?://|www\.)\S+`;

// A question: a clause that opens with a question word or with its verb (Danish puts the verb first in a
// question) and runs to a question mark. A full stop after a number or a common abbreviation does not end it.
// Replies on X, Mastodon and Bluesky open with the handles they answer ("@tonderkommune @borgmester Kan man …").
const MENTIONS = String.raw`(?:@[\p{L}\p{N}._-]+[,:]?\s+)*`;
const CLAUSE_START = String.raw`(?:^|[.!?\n—–:;,]\s*|\s-\s+)${MENTIONS}(?:(?:men|og|så|hej|hov|okay|ok)\s+)?`;
const SENTENCE_REST = String.raw`(?:[^.!?\n]|(?<=\d)\.|(?<=\b(?:nr|kl|kr|ca|pga|evt|fx|tlf|mdr|th|tv|st))\.)*`;
const QUESTION_WORD = 'hvornår|hvordan|hvorfor|hvorledes|hvilke|hvilken|hvilket|hvem|hvad|hvor';
const QUESTION_VERB =
  'er|kan|kunne|må|skal|skulle|vil|ville|har|havde|bliver|blev|kommer|findes|gælder|åbner|lukker|ved|får|fik|koster|tager|sker|kører|stemmer|betyder|hjælper|gør|giver|holder|tømmer|rydder|henter|hedder|passer|virker|mangler|tilbyder|modtager|laver|sender|starter|begynder|foregår|ligger';
// Without a question mark, only a question word followed by its verb ("hvornår kommer …") counts: in a statement
// the subject comes first ("… hvornår de kommer"). "Hvor er det flot" is an exclamation, so "hvor" needs a verb
// of place or action.
const HV_VERB = 'kan|kommer|får|skal|må|bliver|åbner|lukker|koster|gør|finder|søger|melder|tilmelder|tager|sker|starter|begynder|henter|tømmer|rydder|foregår';
const HVOR_VERB = 'kan|skal|må|finder|får|ligger|henvender|afleverer|melder|søger|parkerer|foregår|koster|tager|varer';

export const DEFAULT_RULES: Rule[] = [
  // --- question (S2: answered as fast as possible) -------------------------------------------------------------
  {
    id: 'spoergsmaal',
    category: 'question',
    label: 'Et spørgsmål, der skal have et svar',
    patterns: [
      String.raw`${CLAUSE_START}(?:${QUESTION_WORD}|${QUESTION_VERB})\b${SENTENCE_REST}\?`,
      String.raw`\b(?:hvornår|hvordan|hvilke|hvilken|hvilket|hvad|hvem|hvorfor)\s+(?:${HV_VERB}|er)\b${SENTENCE_REST}(?=[.\n]|$)`,
      String.raw`\bhvor\s+(?:(?:meget|mange|længe|langt|tit|ofte)\s+)?(?:${HVOR_VERB})\b${SENTENCE_REST}(?=[.\n]|$)`,
      // "Er der …", "Kan man …", "Er vejen …" at the start of a sentence, also without a question mark.
      String.raw`(?:^|[.!?\n]\s*)${MENTIONS}(?:er|kan|må|skal|har|bliver|kommer|åbner|lukker|gælder|findes)\s+(?:der|man|jeg|i|vi|\p{L}+(?:en|ne))\b${SENTENCE_REST}(?=[.\n]|$)`,
    ],
    // Rhetorical questions that insult, political questions to a party, and advertising in question form.
    unless: ['idiot*', 'hjernedød*', 'åndssvag*', 'bilder', 'fundet på', 'stemte', 'stemmer på', 'stemme på', 'partiet', 'har du brug for', 'leder du efter', 'vil du tjene', 'drømmer du om', 'mangler du'],
    within: 1,
  },

  // --- casework (S3: no casework on social media) --------------------------------------------------------------
  {
    id: 'sag-nummer',
    category: 'casework',
    label: 'Sags-, journal- eller kundenummer',
    words: ['sagsnr', 'sagsnummer', 'sags nr', 'sag nr', 'j nr', 'jnr', 'journalnummer', 'journalnr', 'journal nr', 'kundenummer', 'kundenr'],
    patterns: [String.raw`\bsag\s+(?:nr\.?\s*)?\d{2,4}[-/]\d+`, String.raw`\d{2}\.\d{2}\.\d{2}-[a-zæøå]\d{2}-\d+-\d{2}\b`],
  },
  {
    id: 'sag-eget-cpr',
    category: 'casework',
    label: 'CPR-nummer (egen sag)',
    words: ['mit cpr*', 'mit personnummer', 'mit personnr'],
    patterns: [CPR],
    unless: OTHER_PERSON,
    within: 8,
  },
  {
    id: 'sag-egen',
    category: 'casework',
    label: 'Omtaler egen sag, ansøgning eller afgørelse',
    words: [
      'min sag', 'vores sag', 'min ansøgning', 'vores ansøgning', 'min klage', 'vores klage', 'min sagsbehandler', 'vores sagsbehandler',
      'min afgørelse', 'min boligstøtte', 'min kontanthjælp', 'mine dagpenge', 'min pension', 'min førtidspension', 'min ejendomsvurdering',
      'min ejendomsskat', 'mit ressourceforløb', 'mit fleksjob', 'klagede over afgørelsen', 'klaget over afgørelsen', 'klaget over min',
      'fået afslag', 'fik afslag', 'fået en afgørelse', 'fået påbud', 'fik påbud', 'har søgt om', 'søgte om', 'søgt om', 'venter stadig på svar',
    ],
  },
  {
    id: 'sag-helbred-familie',
    category: 'casework',
    label: 'Helbred eller sociale forhold hos en selv eller familien',
    words: HEALTH_AND_SOCIAL,
    near: ['jeg har', 'jeg er', 'jeg får', 'jeg fik', 'jeg søgte', 'jeg venter', 'jeg var', 'vi har', 'vi får', 'vi fik', 'vi venter', 'mig', ...OWN_FAMILY],
    unless: ['tak for', 'tusind tak', 'har det godt', 'har det rigtig godt', 'har det fint', 'god pleje', 'gode pleje'],
    within: 10,
  },

  // --- political (S3: no political discussion; refer to the politicians) ---------------------------------------
  {
    id: 'politik-parti',
    category: 'political',
    label: 'Partinavn i debat',
    words: [
      'socialdemokrat*', 'socdem*', 'dansk folkeparti', 'df', 'sf', 'socialistisk folkeparti', 'enhedslisten', 'konservative', 'konservatives',
      'radikale', 'liberal alliance', 'moderaterne', 'danmarksdemokrat*', 'slesvigsk parti', 'nye borgerlige', 'kristendemokrat*',
      'frie grønne', 'borgernes parti', 'venstrefløj*', 'højrefløj*', 'blå blok*', 'rød blok*',
    ],
    // The party Venstre, not the direction: "til venstre", "venstre side", "venstre eller højre" are left out.
    patterns: [
      String.raw`\bvenstre\b(?<!(?:til|mod|på|i|fra|den|det|din|min|sin|højre og|højre eller)\svenstre)(?!\s(?:side|siden|hånd|hånden|fod|foden|ben|benet|arm|armen|øje|øre|vognbane|bane|banen|fortov|fortovet|sving|svinget|kant|spor|sporet|hjørne|hjul|eller højre|og højre))`,
    ],
    unless: REPORTED,
    within: 12,
  },
  {
    id: 'politik-valg',
    category: 'political',
    label: 'Valg, stemmer og kandidater',
    words: [
      'stem på', 'stem personligt', 'stemme på', 'stemmer på', 'stemte på', 'stemte for', 'stemte imod', 'stemme imod', 'stemmer imod',
      'stemme for', 'stemmer for', 'kommunalvalg*', 'byrådsvalg*', 'valgkamp*', 'næste valg', 'sidste valg', 'ved valget', 'valgløfte*',
      'løftebrud*', 'vælgerne', 'genvalg*', 'kandidat for', 'kandidat til', 'partiet', 'hans parti', 'hendes parti', 'deres parti',
      'partipolitik*', 'mistillid*', 'på tide med en ny borgmester',
    ],
    unless: REPORTED,
    within: 12,
  },
  {
    id: 'politik-byraad',
    category: 'political',
    label: 'Debat om byrådets eller borgmesterens politik',
    patterns: [
      String.raw`\b(?:byrådet|byrådets|byrådspolitiker\p{L}*|politikerne|politikere|borgmesteren|borgmesterens|udvalget|kommunalbestyrelsen)\b(?:\s+\p{L}+){0,6}?\s+(?:burde|bør|skal gå af|må gå af|svigter|har svigtet|har ødelagt|ødelægger|i lommen på|skal væltes|er korrupte?|lyver)\b`,
    ],
  },

  // --- offensive (S5: offensive, indecent content is removed) --------------------------------------------------
  {
    id: 'groft-sprog',
    category: 'offensive',
    label: 'Uhøviske eller grove ord',
    words: [
      'lort', 'lorten', 'lortet', 'lorte*', 'møgkommune*', 'møgsvin*', 'møgkælling*', 'pis', 'pisset', 'røv', 'røven', 'røvhul*', 'pik', 'pikken',
      'pikhoved*', 'fisse*', 'kusse*', 'kneppe*', 'knepper', 'luder*', 'hore', 'horer', 'horeunge*', 'kælling*',
    ],
    // "Lortevejr" is about the weather.
    unless: ['lortevejr*'],
    within: 0,
  },
  {
    id: 'bandeord',
    category: 'offensive',
    label: 'Bandeord',
    words: ['fuck', 'fucking', 'fucked', 'fucker*', 'fuckface', 'motherfucker*'],
    // "Det er fucking fedt": strong words in praise are not offensive.
    unless: PRAISE,
    within: 2,
  },
  {
    id: 'skaeldsord',
    category: 'offensive',
    label: 'Skældsord',
    words: ['idiot', 'idioten', 'idioter', 'idioterne', 'idiots', 'kraftidiot*', 'spasser*', 'mongol', 'mongoler', 'hjernedød*', 'åndssvag*', 'evnesvag*', 'retard*', 'skiderik*', 'narrøv*', 'røvbanan*'],
    // "Svin" as an insult, not the 4000 pigs in a new stable.
    patterns: [String.raw`\b(?:dumme?|dit|dine|jeres|klamt|klamme?|beskidte?|dovne?|gamle?|gammelt|møg)\s+(?:\p{L}+\s+)?svin\b`],
  },

  // --- harassment (S5: harassment and bullying are not tolerated) ----------------------------------------------
  {
    id: 'chikane-du',
    category: 'harassment',
    label: 'Nedsættende ord rettet mod en person ("du er …")',
    words: DEGRADING,
    near: ['du', 'dig', 'din', 'dit', 'dine'],
    within: 4,
  },
  {
    id: 'chikane-navngivet',
    category: 'harassment',
    label: 'Nedsættende om en navngiven person eller medarbejder',
    words: DEGRADING,
    near: [...OTHER_PERSON.filter((w) => w !== 'hedder' && w !== 'familien'), ...EMPLOYEE, ...FIRST_NAMES],
    within: 8,
  },
  {
    id: 'chikane-forfølgelse',
    category: 'harassment',
    label: 'Udhængning eller forfølgelse',
    words: [
      'alle skal vide', 'hele byen skal vide', 'alle i byen ved', 'sørge for at alle', 'sig det videre', 'del det overalt', 'deler det overalt', 'screenshots af alt', 'bliver ved med at skrive',
      'indtil * bliver fyret', 'ingen gider dig', 'ingen kan lide dig', 'forsvind fra', 'skrid fra', 'skæld ham ud', 'skæld hende ud',
      'skam dig', 'hold dig fra debatten', 'gå hjem og læg dig',
    ],
  },

  // --- unlawful (S5: posts that break the law) -----------------------------------------------------------------
  {
    id: 'ulovlig-trussel',
    category: 'unlawful',
    label: 'Trussel eller opfordring til vold',
    words: [
      'jeg finder dig', 'vi finder dig', 'jeg finder ham', 'jeg finder hende', 'skal skydes', 'bør skydes', 'burde skydes', 'skyd ham',
      'skyd hende', 'skyde ham', 'skyde hende', 'skyde dig', 'slå * ihjel', 'slår * ihjel', 'slå dig ihjel', 'dræbe dig', 'dræber dig',
      'dræbe ham', 'dræbe hende', 'brænd* * ned', 'brænd* * * ned', 'ild til', 'ild på', 'sætte ild', 'stikke ild', 'en bombe under',
      'kugle for panden', 'kugle i hovedet', 'med en kniv', 'stikke * ned', 'pas godt på dig selv', 'jeg smadrer', 'vi smadrer',
      'lad os smadre', 'give ham en lærestreg', 'giv ham en lærestreg', 'give hende en lærestreg', 'tæske*', 'gennembanke*', 'skal hænges',
      'bør hænges', 'i ligposer', 'i kister', 'skal dø', 'bør dø', 'fortjener at dø', 'foran hans hus', 'foran hendes hus',
    ],
    patterns: [String.raw`\bved,?\s+hvor\s+(?:du|han|hun|i|\p{L}+en)\s+bor\b`],
    // A bonfire at Sankt Hans is lit too.
    unless: ['bål*', 'sankthans*', 'grill*'],
    within: 3,
  },
  {
    id: 'ulovlig-had',
    category: 'unlawful',
    label: 'Hadefuld tale mod en gruppe',
    words: [
      'muslim*', 'muhamedaner*', 'jøde', 'jøder', 'jøderne', 'sigøjner*', 'romaer*', 'bøsse', 'bøsser', 'bøsserne', 'homo', 'homoer', 'homoerne',
      'lesbiske', 'transkønnede', 'flygtning*', 'indvandrer*', 'udlænding*', 'somalier*', 'arabere*', 'asylansøger*',
    ],
    near: [
      'skal smides ud', 'smides ud', 'skal ud af', 'jages ud', 'jage * ud', 'sendes hjem', 'parasit*', 'udryddes', 'udrydde*',
      'styrer det hele', 'holde sig væk', 'ødelægger', 'pak', 'skal væk', 'hører ikke hjemme', 'snylter*', 'rotter', 'kakerlakker', 'afskum',
    ],
    within: 6,
  },
  {
    id: 'ulovlig-hadeord',
    category: 'unlawful',
    label: 'Racistisk eller hadefuldt skældsord',
    words: ['perker*', 'neger', 'negre', 'negrene', 'nigger*', 'bøsserøv*', 'sigøjnerpak*'],
  },
  {
    id: 'ulovlig-salg',
    category: 'unlawful',
    label: 'Salg af narko eller andet ulovligt',
    words: ['sælger hash', 'sælger coke', 'sælger kokain', 'sælger piller', 'hash til salg', 'coke til salg', 'sælger våben'],
  },

  // --- personal_data (S5: posts about personal cases, also other people's) -------------------------------------
  {
    id: 'person-adresse',
    category: 'personal_data',
    label: 'Adresse på en anden person',
    words: ['hans adresse', 'hendes adresse', 'deres adresse'],
    patterns: [STREET_ADDRESS, HOUSE_NUMBER],
    near: [...OTHER_PERSON, ...FIRST_NAMES, ...EMPLOYEE, ...HEALTH_AND_SOCIAL],
    within: 8,
  },
  {
    id: 'person-kontakt',
    category: 'personal_data',
    label: 'Telefonnummer eller e-mail på en anden person',
    words: ['hans nummer', 'hendes nummer', 'hans telefonnummer', 'hendes telefonnummer', 'hans mobil*', 'hendes mobil*', 'hans mail', 'hendes mail', 'hans email', 'hendes email'],
    patterns: [PHONE, EMAIL],
    near: OTHER_PERSON,
    within: 6,
  },
  {
    id: 'person-cpr',
    category: 'personal_data',
    label: 'CPR-nummer på en anden person',
    words: ['hans cpr*', 'hendes cpr*', 'hans personnummer', 'hendes personnummer'],
    patterns: [CPR],
    near: OTHER_PERSON,
    within: 8,
  },
  {
    id: 'person-helbred',
    category: 'personal_data',
    label: 'Helbred eller sociale forhold hos en anden person',
    words: HEALTH_AND_SOCIAL,
    near: [...OTHER_PERSON, ...FIRST_NAMES, ...EMPLOYEE_NAMED],
    // About the writer's own family it is the writer's case (casework), even when it goes on with "hun" or "han".
    unless: OWN_FAMILY,
    within: 8,
    unlessWithin: 30,
  },

  // --- spam (the guidelines page: advertising and spam are removed) --------------------------------------------
  {
    id: 'spam-penge',
    category: 'spam',
    label: 'Hurtige penge, lån, krypto eller spil',
    words: [
      'tjen penge', 'tjen * kr', 'tjen op til', 'arbejd hjemmefra', 'passiv indkomst', 'bitcoin*', 'krypto*', 'crypto*', 'forex', 'trading',
      'daytrading', 'afkast', 'kviklån*', 'lån uden', 'kreditvurdering', 'casino*', 'bonus', 'indbetaling', 'gavekort', 'vind et', 'vind en',
      'gratis iphone*', 'rabatkode*', 'webshop', 'single kvinder', 'singler', 'dating*', 'ingen erfaring krævet',
    ],
    patterns: [String.raw`\btjen(?:te|t)?\s+(?:op til\s+)?[\d.,]+\s*(?:kr|kroner)\b`, String.raw`\bvundet\s+[\d.,]+\s*(?:kr|kroner)\b`, String.raw`\d+\s?%\s+rabat`],
  },
  {
    id: 'spam-links',
    category: 'spam',
    label: 'Gentagne eller forkortede links',
    patterns: [
      String.raw`${LINK}[\s\S]*${LINK}`,
      String.raw`\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|cutt\.ly|is\.gd)/\S+`,
      String.raw`(?:https?://|www\.)[^\s/]+\.(?:win|top|shop|xyz|click|link|loan|bet|casino|store|online|site|buzz|icu)\b`,
    ],
  },
  {
    id: 'spam-reklame-link',
    category: 'spam',
    label: 'Link med reklame',
    patterns: [LINK],
    near: ['køb*', 'bestil*', 'tilbud*', 'rabat*', 'billig*', 'gratis', 'klik', 'prøv', 'vind', 'følg', 'shop*', 'kærlighed', 'lån', 'gevinst*', 'spar'],
    within: 10,
  },
  {
    id: 'spam-reklame',
    category: 'spam',
    label: 'Reklame eller opfordring til kontakt uden om kommunen',
    words: [
      'billige priser', 'gode priser', 'søger opgaver', 'ring for tilbud', 'uforpligtende tilbud', 'køb nu', 'bestil nu', 'køb følgere',
      'følgere og likes', 'følg min side', 'følg vores side', 'like og del', 'del dette opslag', 'deler dette opslag', 'de første 100',
      'klik her', 'klik på linket', 'linket i min profil', 'link i bio', 'send dm', 'send pm', 'skriv pb', 'skriv pm', 'dm for info',
      'whatsapp', 'telegram', 'kontakt * på instagram',
    ],
  },
];
