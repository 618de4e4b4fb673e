import { describe, expect, it } from 'vitest';
import { CATEGORIES, CATEGORY_IDS, type Category } from './categories.ts';
import { classify } from './classify.ts';
import { compileRules, patternSource, RuleError } from './compile.ts';
import { evaluate, loadCorpus } from './corpus.ts';
import { DEFAULT_RULES, type Rule } from './rules.ts';

const categoriesOf = (text: string) => classify(text).categories;
const each = (texts: string[]) => texts.map((text) => [text, categoriesOf(text)] as const);
/** Every text paired with the categories expected, so a failure names the comment. */
const expectAll = (texts: string[], expected: Category[]) => expect(each(texts)).toEqual(texts.map((text) => [text, expected]));

describe('questions', () => {
  it('a factual question is a question, with or without a question mark', () => {
    expectAll(
      [
        'Hvornår åbner genbrugspladsen i Toftlund?',
        'Hvor kan jeg hente nye affaldssække',
        'Er der parkering ved Tønder Kulturhus?',
        'hvad koster det at få tømt en septiktank',
        'Kan man låne lydbøger på biblioteket i Højer?',
        'Hej kommune, hvornår kommer der lys på stien ved skolen?',
        'Hvor meget koster et parkeringskort',
      ],
      ['question'],
    );
  });

  it('a rhetorical insult with a question mark is not a question', () => {
    expect(categoriesOf('Er I helt idioter derinde?')).toEqual(['offensive']);
    expect(categoriesOf('Hvad bilder I jer ind?')).toEqual(['ok']);
    expect(categoriesOf('Hvem har fundet på det her?')).toEqual(['ok']);
  });

  it('an exclamation that starts like a question is not a question', () => {
    expectAll(['Hvor er det flot med de nye blomster!', 'Hvor er det dejligt, at stien er åben igen', 'Hvad er det dog for noget!'], ['ok']);
  });

  it('a question a citizen passes on from the news about the council is a question, not political debate', () => {
    expectAll(
      [
        'Byrådet har vedtaget budgettet — hvornår åbner svømmehallen så?',
        'Jeg læste i avisen, at Venstre og Socialdemokratiet har indgået budgetforlig. Betyder det, at biblioteket i Bredebro bliver?',
        'Borgmesteren sagde i radioen, at der kommer ny skole. Hvornår går byggeriet i gang?',
      ],
      ['question'],
    );
  });

  it('a question to a party about how it voted is political debate', () => {
    expect(categoriesOf('Hvorfor stemte Socialdemokratiet imod flere pædagoger?')).toEqual(['political']);
  });
});

describe('casework', () => {
  it('a case or journal number makes a comment casework', () => {
    expectAll(['Sagsnr. 2026-1234 — jeg har stadig ikke hørt noget', 'Se j.nr. 27.00.00-G01-12-26', 'Jeg har ventet i et år på min sag 2025-7781'], ['casework']);
  });

  it('a CPR number about oneself is casework, with a dash, a space or neither, and modulus 11 is not checked', () => {
    // 010203-1234 does not pass the old modulus-11 check; numbers issued since 2007 need not.
    expectAll(['Mit cpr er 010203-1234', 'cpr 010203 1234 hvis I skal bruge det', 'Skriv til mig om 0102031234'], ['casework']);
  });

  it('the last four digits of a CPR number never appear in a reason', () => {
    const { reasons } = classify('Mit cpr-nummer er 120385-1234, kan I finde min sag?');
    expect(JSON.stringify(reasons)).not.toContain('1234');
    expect(reasons.flatMap((r) => r.matches)).toContain('120385-****');
  });

  it('a day or month that cannot be is not a CPR number', () => {
    expectAll(['Koden til porten er 320185-1234', 'Ordrenummeret var 011385-1234'], ['ok']);
  });

  it('health or social details about oneself or one\'s family are casework', () => {
    expectAll(
      [
        'Min søn har ADHD, og vi venter på at komme til udredning',
        'Min mor får hjemmehjælp, og de kommer aldrig til tiden. Hun er 91.',
        'Jeg er på kontanthjælp og har ikke fået penge i denne måned',
      ],
      ['casework'],
    );
  });

  it('thanks that mention one\'s family and the care they get are not casework', () => {
    expect(categoriesOf('Min far bor på plejehjemmet i Skærbæk og har det rigtig godt. Tak til personalet.')).toEqual(['ok']);
  });
});

describe('personal data', () => {
  it('someone else\'s CPR number, address, phone number or e-mail is personal data', () => {
    expectAll(
      [
        'Hendes cpr er 120385-1234, så kan I selv tjekke det',
        'Han bor på Nørregade 12 og larmer hver nat',
        'Hans nummer er 22 33 44 55, ring selv til ham',
        'Skriv til ham på jens.hansen@example.dk',
      ],
      ['personal_data'],
    );
  });

  it('health or social details about a named or pointed-out person are personal data', () => {
    expectAll(['Naboen er på kontanthjælp og har to biler', 'Birgitte fra børnehaven er sygemeldt med stress'], ['personal_data']);
  });

  it('phone numbers and dates are not CPR numbers, and the municipality\'s own number is not personal data', () => {
    expectAll(
      [
        'Ring til Borgerservice på 74 92 92 92',
        'Ring på +45 12345678 eller 12345678',
        'Vagttelefonen er 31 01 12 34',
        'Genbrugspladsen lukker 24-12-2026 kl. 12',
        'Loppemarkedet er 01.05.2026',
      ],
      ['ok'],
    );
  });
});

describe('political debate', () => {
  it('party names, votes and demands on the council are political', () => {
    expectAll(
      [
        'Stem på Enhedslisten!',
        'Dansk Folkeparti har svigtet de ældre',
        'Venstre vil lukke skolen, det er typisk',
        'Moderaterne og Danmarksdemokraterne er ens',
        'Slesvigsk Parti er det eneste parti, der forstår grænselandet',
        'Borgmesteren skal gå af!',
        'Byrådet burde lytte til borgerne',
        'Ved næste kommunalvalg stemmer jeg på nogen andre',
      ],
      ['political'],
    );
  });

  it('"venstre" as a direction or side is not a party', () => {
    expectAll(['Drej til venstre ved kirken', 'Der er hul i vejen i venstre side', 'Hold til højre og venstre om rundkørslen'], ['ok']);
  });

  it('news about the council and the mayor is not political debate', () => {
    expectAll(['Byrådet vedtog budgettet i går', 'Borgmesteren åbnede den nye hal i dag. Flot!'], ['ok']);
  });
});

describe('offensive language', () => {
  it('obscene and abusive words are offensive', () => {
    expectAll(['Sikke noget lort', 'Fuck den her kommune', 'I er nogle idioter', 'Lortekommune', 'Rend mig i røven'], ['offensive']);
  });

  it('a word stretched, written in leetspeak or split by invisible characters is the same word', () => {
    expectAll(['Idioooooter!', '1d10ter alle sammen', 'L0rtekommune', 'I er nogle id\u00ADio\u200Bter'], ['offensive']);
  });

  it('a letter written with a combining ring is the same as "å"', () => {
    expect(categoriesOf('Sikke en flok a\u030Andssvage bureaukrater')).toEqual(['offensive']);
  });

  it('praise with strong words is not offensive', () => {
    expectAll(
      ['Det er sgu flot', 'Fandme godt gået!', 'Vildt fedt med den nye legeplads', 'Det er fucking fedt', 'Pissegodt arrangement', 'Kraftedeme flot klaret', 'Sindssygt god koncert'],
      ['ok'],
    );
  });

  it('ordinary words that contain or resemble a rude one are not offensive', () => {
    expectAll(['Idiotparkering foran skolen hver morgen', 'Sikke et lortevejr', 'Der står 4000 svin i stalden', 'Hele byen var til fest'], ['ok']);
  });
});

describe('critical but decent comments', () => {
  it('criticism in a decent tone is ok, never flagged for being critical', () => {
    expectAll(
      [
        'Det er for dårligt, at svømmehallen lukker',
        'Jeg er utilfreds med snerydningen',
        'Det er en idiotisk beslutning at lukke filialen',
        'Det er ærligt talt elendigt, så lang tid en byggetilladelse tager',
        'Kommunen er inkompetent til at planlægge vejarbejde',
        'Helt uacceptabelt, at der ikke er ryddet sne ved ældrecentret',
        'Jeg er dybt uenig i den prioritering',
      ],
      ['ok'],
    );
  });
});

describe('harassment', () => {
  it('a degrading remark aimed at a person is harassment', () => {
    expectAll(
      ['Du er en klovn', 'Du er så dum, Peter', 'Sagsbehandleren Hanne er inkompetent og burde fyres', 'Hun i skranken er doven, undgå hende', 'Skam dig, Morten'],
      ['harassment'],
    );
  });

  it('hounding a person is harassment', () => {
    expectAll(['Ingen kan lide dig, Tina', 'Jeg bliver ved med at skrive her, indtil Kurt fra vejafdelingen bliver fyret'], ['harassment']);
  });

  it('an abusive word aimed at a person is both harassment and offensive', () => {
    expect(categoriesOf('Du er en fucking idiot')).toEqual(['offensive', 'harassment']);
  });

  it('praise of a named employee is not harassment', () => {
    expect(categoriesOf('Tak til Mette i dagplejen, hun er fantastisk')).toEqual(['ok']);
  });
});

describe('unlawful content', () => {
  it('threats and incitement to violence are unlawful', () => {
    expectAll(
      ['Jeg finder dig', 'Ham der skal skydes', 'Vi ved, hvor du bor', 'Nogen burde brænde rådhuset ned', 'Hvis I lukker skolen, brænder jeg rådhuset ned', 'Jeg slår dig ihjel'],
      ['unlawful'],
    );
  });

  it('hate speech against a group is unlawful', () => {
    expectAll(['Alle de muslimer skal smides ud', 'Flygtninge er parasitter', 'Perkerne ødelægger byen'], ['unlawful']);
  });

  it('a Sankt Hans bonfire and a neutral mention of refugees are not unlawful', () => {
    expectAll(['Der tændes ild til bålet kl. 21', 'Kommunen tager imod flere flygtninge i år'], ['ok']);
  });
});

describe('spam', () => {
  it('money schemes, advertising and repeated or shortened links are spam', () => {
    expectAll(
      [
        'Tjen 5000 kr om dagen hjemmefra',
        'Bitcoin giver 300% afkast, skriv til mig på WhatsApp',
        'Se her https://example.com/a og her https://example.com/b',
        'Gratis gavekort: bit.ly/abc',
        'Køb billige sko på www.sko-tilbud.dk',
      ],
      ['spam'],
    );
  });

  it('a link to the municipality\'s own page, or a free offer from the municipality, is not spam', () => {
    expectAll(['Læs mere på https://toender.dk/affald', 'Gratis adgang til svømmehallen for pensionister, godt initiativ'], ['ok']);
  });

  it('a question that is advertising is spam, not a question', () => {
    expect(categoriesOf('Har du brug for et lån? Hurtigt kviklån uden kreditvurdering')).toEqual(['spam']);
  });
});

describe('the result', () => {
  it('a comment that fits no rule is ok, and ok is never combined with another category', () => {
    expect(classify('Tak for en dejlig dag')).toEqual({ categories: ['ok'], reasons: [] });
    for (const { text } of loadCorpus()) {
      const { categories } = classify(text);
      if (categories.includes('ok')) expect(categories).toEqual(['ok']);
    }
  });

  it('categories come from the fixed list, in its order, each once', () => {
    const { categories } = classify('Du er en idiot, sagsnr. 2026-1234, stem på Venstre! Hvornår svarer I?');
    expect(categories).toEqual(['question', 'casework', 'political', 'offensive', 'harassment']);
    expect(categories.every((c) => CATEGORY_IDS.includes(c))).toBe(true);
  });

  it('each reason names the rule, its Danish label and the words as the citizen wrote them', () => {
    const { reasons } = classify('I er nogle IDIOOOTER på Rådhuset');
    expect(reasons).toEqual([{ category: 'offensive', ruleId: 'skaeldsord', label: 'Skældsord', matches: ['IDIOOOTER'] }]);
  });

  it('every category has a Danish label and the guideline point it applies', () => {
    expect(CATEGORIES.casework.guideline).toContain('Vi udfører ikke sagsbehandling på sociale medier');
    for (const id of CATEGORY_IDS) {
      expect(CATEGORIES[id].label).toMatch(/\p{L}/u);
      expect(CATEGORIES[id].guideline.length).toBeGreaterThan(10);
    }
  });

  it('an empty, odd or very long comment is classified without error', () => {
    expect(classify('').categories).toEqual(['ok']);
    expect(classify('???!!! ... 🙂🙂').categories).toEqual(['ok']);
    expect(classify(undefined as unknown as string).categories).toEqual(['ok']);
    const long = `${'Vejen er fin. '.repeat(5000)}Hvornår åbner hallen?`;
    expect(classify(long).categories).toEqual(['ok']);
    expect(classify(`Hvornår åbner hallen? ${'bla '.repeat(20_000)}`).categories).toEqual(['question']);
  });
});

describe('rules as the editors write them', () => {
  const rule = (fields: Partial<Rule>): Rule[] => [{ id: 'test', category: 'spam', label: 'Test', ...fields }];

  it('"aa" is read as "å", but a word written with a plain "a" is not the "å" word', () => {
    const rules = rule({ words: ['lån'] });
    expect(classify('Hurtigt laan i dag', rules).categories).toEqual(['spam']);
    expect(classify('Hurtigt lån i dag', rules).categories).toEqual(['spam']);
    expect(classify('Lan party i hallen', rules).categories).toEqual(['ok']);
  });

  it('doubled letters are spelling and stretched letters are not: "Helle" is not "hele", "haaaaaab" is "håb"', () => {
    expect(classify('Hele byen', rule({ words: ['helle'] })).categories).toEqual(['ok']);
    expect(classify('Helllle', rule({ words: ['helle'] })).categories).toEqual(['spam']);
    expect(classify('Det giver haaaaab', rule({ words: ['håb'] })).categories).toEqual(['spam']);
  });

  it('a word with * covers its endings, and * on its own any one word', () => {
    const rules = rule({ words: ['gratis*', 'klik * her'] });
    expect(classify('Gratisprøve i dag', rules).reasons[0]!.matches).toEqual(['Gratisprøve']);
    expect(classify('Klik lige her', rules).reasons[0]!.matches).toEqual(['Klik lige her']);
    expect(classify('Klik her', rules).categories).toEqual(['ok']);
  });

  it('near and unless count words of distance', () => {
    const rules = rule({ words: ['tilbud'], near: ['køb'], within: 2, unless: ['kommunens'], unlessWithin: 1 });
    expect(classify('Køb nu, tilbud', rules).categories).toEqual(['spam']);
    expect(classify('Køb en, to, tre, tilbud', rules).categories).toEqual(['ok']);
    expect(classify('Køb kommunens tilbud', rules).categories).toEqual(['ok']);
  });

  it('\\b in a pattern is a Danish word boundary, so "på" is found and "påske" is not', () => {
    const rules = rule({ patterns: [String.raw`\bpå\b`] });
    expect(classify('Vi ses på torvet', rules).categories).toEqual(['spam']);
    expect(classify('God påske', rules).categories).toEqual(['ok']);
    expect(classify('Lørdag påbegynder vi', rule({ patterns: [String.raw`\b(?:på|i)\b`] })).categories).toEqual(['ok']);
  });

  it('the faster form of \\b matches exactly where the plain one does', () => {
    const patterns = [String.raw`\bsag\b`, String.raw`\b(?:hvor|hvornår)\b`, String.raw`\bø\b`, String.raw`x\b`, String.raw`\b\d+\b`];
    const texts = ['sag', 'sagen', 'en sag.', 'hvornår?', 'hvorfor', 'ø', 'øen', 'på ø', '12', 'a12', 'max', 'maxi', '(sag)', 'ærøsag'];
    const unicodeBoundary = (source: string) => source.replaceAll('\\b', '(?:(?<=[\\p{L}\\p{M}\\p{N}])(?![\\p{L}\\p{M}\\p{N}])|(?<![\\p{L}\\p{M}\\p{N}])(?=[\\p{L}\\p{M}\\p{N}]))');
    for (const pattern of patterns) {
      const fast = new RegExp(patternSource(pattern), 'gu');
      const plain = new RegExp(unicodeBoundary(pattern), 'gu');
      for (const text of texts) expect([pattern, text, [...text.matchAll(fast)].map((m) => m.index)]).toEqual([pattern, text, [...text.matchAll(plain)].map((m) => m.index)]);
    }
  });

  it('a pattern that can match nothing at all flags nothing', () => {
    expect(classify('Hvad som helst', rule({ patterns: ['x*'] })).categories).toEqual(['ok']);
    expect(classify('xx', rule({ patterns: ['x*'] })).reasons[0]!.matches).toEqual(['xx']);
  });

  it('a rule that cannot be used is refused with a Danish message naming the rule', () => {
    const refused = (rules: Rule[]) => {
      try {
        compileRules(rules);
      } catch (error) {
        expect(error).toBeInstanceOf(RuleError);
        return (error as Error).message;
      }
      throw new Error('the rules were accepted');
    };
    expect(refused(rule({ category: 'ok' as Rule['category'], words: ['x'] }))).toBe('Reglen "test": ukendt kategori "ok".');
    expect(refused(rule({ patterns: ['(uafsluttet'] }))).toMatch(/^Reglen "test": mønsteret "\(uafsluttet" er ikke et gyldigt regulært udtryk/);
    expect(refused(rule({}))).toBe('Reglen "test": reglen skal have mindst ét ord eller mønster.');
    expect(refused(rule({ words: ['…'] }))).toBe('Reglen "test": ordet "…" indeholder ingen bogstaver eller tal (i "words").');
    expect(refused(rule({ words: ['x'], within: -1 }))).toBe('Reglen "test": "within" skal være et helt tal fra 0 til 50.');
    expect(refused([...rule({ words: ['x'] }), ...rule({ words: ['y'] })])).toBe('Reglen "test": id bruges af mere end én regel.');
    expect(refused(rule({ words: ['x'], label: ' ' }))).toBe('Reglen "test": reglen mangler en forklaring (label).');
  });

  it('a rule list is compiled once and reused for every comment', () => {
    const rules = rule({ words: ['x'] });
    expect(compileRules(rules)).toBe(compileRules(rules));
    expect(compileRules(DEFAULT_RULES)).toBe(compileRules(DEFAULT_RULES));
  });

  it('the default rules are plain data that survive a trip through JSON, as they will in the database', () => {
    const stored = JSON.parse(JSON.stringify(DEFAULT_RULES)) as Rule[];
    expect(stored).toEqual(DEFAULT_RULES);
    const text = 'Du er en idiot. Hvornår svarer I? Sagsnr. 2026-1234';
    expect(classify(text, stored)).toEqual(classify(text));
    for (const r of DEFAULT_RULES) expect(Object.keys(r).every((k) => ['id', 'category', 'label', 'words', 'patterns', 'near', 'unless', 'within', 'unlessWithin'].includes(k))).toBe(true);
  });
});

describe('speed', () => {
  it('10,000 comments are classified in well under the 10 seconds that ingesting them may take', () => {
    const texts = loadCorpus().map((c) => c.text);
    for (const text of texts) classify(text);
    // Processor time, not the clock: other work on a busy machine should not decide the outcome.
    const started = process.cpuUsage();
    for (let i = 0; i < 10_000; i++) classify(`${texts[i % texts.length]} ${i}`);
    const { user, system } = process.cpuUsage(started);
    // About 0.07 ms a comment (0.7 s in all) on an idle machine.
    expect((user + system) / 1000).toBeLessThan(2_000);
  });
});

describe('the hand-labelled corpus', () => {
  const corpus = loadCorpus();

  it('holds at least 220 comments and every category at least 15 times', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(220);
    for (const id of CATEGORY_IDS) expect(corpus.filter((c) => c.categories.includes(id)).length, id).toBeGreaterThanOrEqual(15);
  });

  it('precision and recall are at least 0.85 for every category', () => {
    const { scores } = evaluate(corpus);
    for (const score of scores) {
      expect(score.precision, `${score.category} præcision`).toBeGreaterThanOrEqual(0.85);
      expect(score.recall, `${score.category} genkaldelse`).toBeGreaterThanOrEqual(0.85);
    }
  });
});
