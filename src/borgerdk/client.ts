import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { BorgerdkSettings } from '../platform/config.ts';
import { localInputToDate } from '../platform/time.ts';
import type { ExportedArticle } from './model.ts';
import { plainText } from './sanitize.ts';

// borger.dk's article export is a WCF service over SOAP 1.1 (basicHttpBinding). The contract, as generated from its
// WSDL in skybrud/Skybrud.Integrations.BorgerDk (src/Skybrud.Integrations.BorgerDk/WebService/ArticleExport.cs):
//
//   [ServiceContract(Namespace = "http://www.borger.dk/2009/WSArticleExport/v1")] interface IArticleExport
//   Article[] GetArticlesByIDs(int[] articleIDs, int? municipalityCode, DateTime? updatedAfter)
//     Action  http://www.borger.dk/2009/WSArticleExport/v1/IArticleExport/GetArticlesByIDs
//     Fault   ArticleExportException (http://schemas.datacontract.org/2004/07/ITST.Borgerdk.Export.Common.WcfContracts)
//   [DataContract(Namespace = "http://www.borger.dk/2009/WSArticleExport/v1/types")] Article:
//     ArticleHeader, ArticleID, ArticleTitle, ArticleUrl, Content, FormServiceAreas, FormTaskAreas, FormTasks,
//     LastUpdated, PublishingDate (DataContract members, in that alphabetical order)
//
// The PHP client behind OS2web (ffwagency/borgerdk-php) calls it the same way: GetArticlesByIDs with
// ['articleIDs' => [...], 'municipalityCode' => …] and reads GetArticlesByIDsResult->Article.

export const SERVICE_NAMESPACE = 'http://www.borger.dk/2009/WSArticleExport/v1';
export const GET_ARTICLES_BY_IDS_ACTION = `${SERVICE_NAMESPACE}/IArticleExport/GetArticlesByIDs`;
const ARRAYS_NAMESPACE = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';

/** An answer far beyond any article is not read to the end. */
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export type FailureKind = 'fault' | 'http' | 'timeout' | 'malformed' | 'network' | 'missing';

/** A call to borger.dk that gave no usable answer. The message is Danish and shown to the editors as it stands. */
export class BorgerdkFetchError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'BorgerdkFetchError';
  }
}

/** What the rest of Mediehus needs of borger.dk; tests and the demo may hand in their own. */
export interface BorgerdkClient {
  /** The articles borger.dk has of those asked for; an id it does not know is simply missing from the answer. */
  getArticlesByIds(ids: readonly number[]): Promise<ExportedArticle[]>;
}

export function requestEnvelope(ids: readonly number[], municipalityCode: number | null): string {
  const ints = ids.map((id) => `<a:int>${Math.trunc(id)}</a:int>`).join('');
  const municipality = municipalityCode === null ? '' : `<municipalityCode>${Math.trunc(municipalityCode)}</municipalityCode>`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    `<GetArticlesByIDs xmlns="${SERVICE_NAMESPACE}">` +
    `<articleIDs xmlns:a="${ARRAYS_NAMESPACE}">${ints}</articleIDs>${municipality}` +
    '</GetArticlesByIDs></s:Body></s:Envelope>'
  );
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  // Ids and titles stay text; numbers are read where a number is meant.
  parseTagValue: false,
  // Numeric character references are XML too, and Content carries HTML escaped as text.
  htmlEntities: true,
  isArray: (name) => name === 'Article',
});

type Node = Record<string, unknown>;
const asNode = (v: unknown): Node | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : null);
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** WCF writes DateTime without a zone; borger.dk's times are Danish ("Romance Standard Time", as Skybrud reads them). */
export function serviceTime(value: string): string | null {
  const v = value.trim();
  if (!v || v.startsWith('0001-01-01')) return null;
  if (/(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(v);
  if (!m) return null;
  const minute = localInputToDate(m[1]!);
  if (!minute) return null;
  const ms = Number(m[2] ?? 0) * 1000 + Math.round(Number(`0.${m[3] ?? '0'}`) * 1000);
  return new Date(minute.getTime() + ms).toISOString();
}

function faultMessage(fault: Node): string {
  const text = plainText(textOf(fault.faultstring) || textOf(asNode(fault.Reason)?.Text) || 'ukendt fejl').slice(0, 300);
  return `borger.dk afviste forespørgslen: ${text}`;
}

/** The articles in a SOAP answer; a fault or anything but the expected shape is an error. */
export function parseResponse(xml: string): ExportedArticle[] {
  // A DOCTYPE could declare entities that expand without end; WCF never sends one.
  if (/<!DOCTYPE/i.test(xml) || XMLValidator.validate(xml) !== true) {
    throw new BorgerdkFetchError('malformed', 'Svaret fra borger.dk kunne ikke læses (det var ikke gyldig XML).');
  }
  const body = asNode(asNode(asNode(parser.parse(xml))?.Envelope)?.Body);
  if (!body) throw new BorgerdkFetchError('malformed', 'Svaret fra borger.dk kunne ikke læses (der var ingen SOAP-besked).');
  const fault = asNode(body.Fault);
  if (fault) throw new BorgerdkFetchError('fault', faultMessage(fault));
  const response = asNode(body.GetArticlesByIDsResponse);
  if (!response || !('GetArticlesByIDsResult' in response)) {
    throw new BorgerdkFetchError('malformed', 'Svaret fra borger.dk kunne ikke læses (det var ikke et svar på GetArticlesByIDs).');
  }
  // An empty result element is parsed as an empty string: no articles.
  const articles = (asNode(response.GetArticlesByIDsResult)?.Article as unknown[] | undefined) ?? [];
  return articles.map((raw) => {
    const a = asNode(raw) ?? {};
    const id = textOf(a.ArticleID).trim();
    if (!/^\d{1,10}$/.test(id)) throw new BorgerdkFetchError('malformed', 'Svaret fra borger.dk kunne ikke læses (en artikel manglede sit ArticleID).');
    return {
      articleId: Number(id),
      title: plainText(textOf(a.ArticleTitle)),
      header: plainText(textOf(a.ArticleHeader)),
      url: textOf(a.ArticleUrl).trim().split('?')[0] ?? '',
      publishedAt: serviceTime(textOf(a.PublishingDate)),
      lastUpdatedAt: serviceTime(textOf(a.LastUpdated)),
      content: textOf(a.Content),
    };
  });
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new BorgerdkFetchError('malformed', 'Svaret fra borger.dk var for stort til at være en artikel.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkFailure(error: unknown, timeoutMs: number): BorgerdkFetchError {
  if (error instanceof BorgerdkFetchError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new BorgerdkFetchError('timeout', `borger.dk svarede ikke inden for ${(timeoutMs / 1000).toLocaleString('da-DK', { maximumFractionDigits: 1 })} sekunder.`);
  }
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return new BorgerdkFetchError('network', `Mediehus kunne ikke få forbindelse til borger.dk${cause ? ` (${cause})` : ''}.`);
}

/** The client for borger.dk's article export at `settings.url`. */
export function createBorgerdkClient(settings: BorgerdkSettings, fetchImpl: typeof fetch = fetch): BorgerdkClient {
  return {
    async getArticlesByIds(ids) {
      if (ids.length === 0) return [];
      let status: number;
      let text: string;
      try {
        const response = await fetchImpl(settings.url, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${GET_ARTICLES_BY_IDS_ACTION}"`, accept: 'text/xml' },
          body: requestEnvelope(ids, settings.municipalityCode),
          signal: AbortSignal.timeout(settings.timeoutMs),
          redirect: 'error',
        });
        status = response.status;
        text = await readLimited(response);
      } catch (error) {
        throw networkFailure(error, settings.timeoutMs);
      }
      // SOAP 1.1 sends a fault with status 500; a 500 without one is the server failing before the service answered.
      if (status >= 200 && status < 300) return parseResponse(text);
      if (status === 500 && /<(\w+:)?Fault[\s>]/.test(text)) return parseResponse(text);
      throw new BorgerdkFetchError('http', `borger.dk svarede med en fejl (HTTP ${status}).`);
    },
  };
}
