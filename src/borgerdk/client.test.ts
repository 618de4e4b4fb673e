import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BorgerdkFetchError, createBorgerdkClient, serviceTime } from './client.ts';
import { parseContent } from './content-html.ts';
import { contractArticle } from './testing/articles.ts';
import { type ContractServer, startContractServer } from './testing/contract-server.ts';

describe('the client for borger.dk’s article export', () => {
  let server: ContractServer;
  const client = (timeoutMs = 2000) => createBorgerdkClient({ url: server.url, municipalityCode: 550, timeoutMs });

  beforeAll(async () => {
    server = await startContractServer([contractArticle(2201), contractArticle(1617)]);
  });
  afterAll(async () => server.close());
  afterEach(() => {
    server.mode = 'normal';
    server.unknownIds = 'omit';
  });

  const failure = async (promise: Promise<unknown>): Promise<BorgerdkFetchError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BorgerdkFetchError);
    return error as BorgerdkFetchError;
  };

  it('asks GetArticlesByIDs for the ids with Tønder’s municipality code and reads title, header, address and times', async () => {
    const [article, ...rest] = await client().getArticlesByIds([2201]);
    expect(rest).toEqual([]);
    expect(server.requests.at(-1)).toEqual({ action: 'http://www.borger.dk/2009/WSArticleExport/v1/IArticleExport/GetArticlesByIDs', articleIds: [2201], municipalityCode: 550 });
    expect(article).toMatchObject({
      articleId: 2201,
      title: 'Boligstøtte til lejere',
      header: 'Bor du til leje, kan du måske få boligstøtte til at betale din husleje.',
      url: 'https://www.borger.dk/bolig-og-flytning/boligstoette/boligstoette-til-lejere',
      // 08:45 Danish summer time, as the service writes it, is 06:45 UTC.
      lastUpdatedAt: '2026-10-01T06:45:00.000Z',
      publishedAt: '2020-01-07T08:00:00.000Z',
    });
    expect(article!.content).toContain('<div id="kernetekst">');
  });

  it('the content splits into micro-articles, self-service links, legislation and byline', async () => {
    const [article] = await client().getArticlesByIds([2201]);
    const { parts } = parseContent(article!.content, article!.url);
    expect(parts.microArticles.map((m) => [m.id, m.heading])).toEqual([
      ['10401', 'Hvem kan få boligstøtte?'],
      ['10402', 'Sådan søger du boligstøtte'],
      ['10403', 'Når du har fået boligstøtte'],
      ['10404', 'Boligydelse til folkepensionister'],
    ]);
    expect(parts.microArticles[1]!.html).toBe('<p>Du søger digitalt med MitID. Det er Udbetaling Danmark, der behandler din ansøgning.</p><p>Du kan tidligst få boligstøtte fra den første dag i måneden efter, at du har søgt.</p>');
    expect(parts.selfServiceLinks).toEqual([
      { id: '9a3d5c11', url: 'https://www.borger.dk/bolig-og-flytning/boligstoette/soeg-boligstoette', label: 'Søg boligstøtte', title: 'Start søg boligstøtte' },
      { id: '9a3d5c12', url: 'https://www.borger.dk/bolig-og-flytning/boligstoette/beregn-boligstoette', label: 'Beregn din boligstøtte', title: 'Start beregn din boligstøtte' },
    ]);
    expect(parts.legislation).toEqual({ heading: 'Lovgivning', html: '<ul><li><a href="https://www.retsinformation.dk/eli/lta/2022/1089">Lov om individuel boligstøtte</a></li></ul>' });
    expect(parts.recommendation).toBeNull();
    expect(parts.byline).toBe('Skrevet af Udbetaling Danmark');
  });

  it('several ids come back in one answer, and an id borger.dk does not know is simply missing', async () => {
    const articles = await client().getArticlesByIds([1617, 999999, 2201]);
    expect(articles.map((a) => a.articleId).sort()).toEqual([1617, 2201]);
  });

  it('a SOAP fault is an error that repeats borger.dk’s reason in a Danish sentence', async () => {
    server.mode = 'fault';
    const error = await failure(client().getArticlesByIds([2201]));
    expect(error.kind).toBe('fault');
    expect(error.message).toBe('borger.dk afviste forespørgslen: An error occurred while exporting articles.');
    server.mode = 'normal';
    server.unknownIds = 'fault';
    expect((await failure(client().getArticlesByIds([424242]))).message).toBe('borger.dk afviste forespørgslen: No article found with id 424242');
  });

  it('an HTTP 500 without a SOAP answer, a timeout and malformed XML are errors in Danish', async () => {
    server.mode = 'http500';
    expect(await failure(client().getArticlesByIds([2201]))).toMatchObject({ kind: 'http', message: 'borger.dk svarede med en fejl (HTTP 500).' });
    server.mode = 'hang';
    const started = Date.now();
    expect(await failure(client(300).getArticlesByIds([2201]))).toMatchObject({ kind: 'timeout', message: 'borger.dk svarede ikke inden for 0,3 sekunder.' });
    expect(Date.now() - started).toBeLessThan(2000);
    server.mode = 'malformed';
    expect(await failure(client().getArticlesByIds([2201]))).toMatchObject({ kind: 'malformed', message: 'Svaret fra borger.dk kunne ikke læses (det var ikke gyldig XML).' });
  });

  it('a service that cannot be reached is an error that says so', async () => {
    const gone = createBorgerdkClient({ url: 'http://127.0.0.1:9/WSArticleExport/v1/ArticleExport.svc', municipalityCode: 550, timeoutMs: 2000 });
    const error = await failure(gone.getArticlesByIds([2201]));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^Mediehus kunne ikke få forbindelse til borger.dk/);
  });

  it('WCF times without a zone are read as Danish time, winter and summer', () => {
    expect(serviceTime('2026-01-15T10:00:00')).toBe('2026-01-15T09:00:00.000Z');
    expect(serviceTime('2026-07-15T10:00:00.5')).toBe('2026-07-15T08:00:00.500Z');
    expect(serviceTime('2026-07-15T10:00:00Z')).toBe('2026-07-15T10:00:00.000Z');
    expect(serviceTime('0001-01-01T00:00:00')).toBeNull();
  });
});
