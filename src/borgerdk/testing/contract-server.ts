import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A stand-in for borger.dk's article export (https://www.borger.dk/WSArticleExport/v1/ArticleExport.svc) that
// answers GetArticlesByIDs the way the WCF service does: SOAP 1.1, the operation in namespace
// http://www.borger.dk/2009/WSArticleExport/v1, `Article` elements in …/v1/types with the real field names, and
// faults as `s:Fault` with HTTP 500. The shape comes from the WSDL-generated contract in
// skybrud/Skybrud.Integrations.BorgerDk (WebService/ArticleExport.cs). It also misbehaves on request, so the
// import can be tested against every way the real one can fail. Written with its own XML, independent of the client.

export const CONTRACT_PATH = '/WSArticleExport/v1/ArticleExport.svc';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const SERVICE_NS = 'http://www.borger.dk/2009/WSArticleExport/v1';
const TYPES_NS = 'http://www.borger.dk/2009/WSArticleExport/v1/types';
const ACTION = `${SERVICE_NS}/IArticleExport/GetArticlesByIDs`;

export interface ContractArticle {
  ArticleID: number;
  ArticleTitle: string;
  ArticleHeader: string;
  ArticleUrl: string;
  /** Danish local time as WCF writes a DateTime: "2026-03-01T10:15:00". */
  PublishingDate: string;
  LastUpdated: string;
  /** The article's HTML; sent escaped, as the service does. */
  Content: string;
}

/**
 * How the server answers: `normal`; `fault` (an ArticleExportException); `http500` (an HTML error page from the
 * web server); `hang` (never answers, for timeouts); `malformed` (cut-off XML).
 */
export type ContractMode = 'normal' | 'fault' | 'http500' | 'hang' | 'malformed';

export interface ContractRequest {
  action: string;
  articleIds: number[];
  municipalityCode: number | null;
}

export interface ContractServer {
  /** The service address to hand Mediehus as MEDIEHUS_BORGERDK_URL. */
  url: string;
  articles: Map<number, ContractArticle>;
  mode: ContractMode;
  /** An id borger.dk does not know: left out of the answer (`omit`), or a fault for the whole call (`fault`). */
  unknownIds: 'omit' | 'fault';
  requests: ContractRequest[];
  put(article: ContractArticle): void;
  close(): Promise<void>;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function articleXml(a: ContractArticle): string {
  const field = (name: string, value: string | number) => `<a:${name}>${escapeXml(String(value))}</a:${name}>`;
  return (
    '<a:Article>' +
    field('ArticleHeader', a.ArticleHeader) +
    field('ArticleID', a.ArticleID) +
    field('ArticleTitle', a.ArticleTitle) +
    field('ArticleUrl', a.ArticleUrl) +
    field('Content', a.Content) +
    '<a:FormServiceAreas/><a:FormTaskAreas/><a:FormTasks/>' +
    field('LastUpdated', a.LastUpdated) +
    field('PublishingDate', a.PublishingDate) +
    '</a:Article>'
  );
}

const envelope = (body: string) => `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body>${body}</s:Body></s:Envelope>`;

function resultXml(articles: ContractArticle[]): string {
  return envelope(
    `<GetArticlesByIDsResponse xmlns="${SERVICE_NS}"><GetArticlesByIDsResult xmlns:a="${TYPES_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
      articles.map(articleXml).join('') +
      '</GetArticlesByIDsResult></GetArticlesByIDsResponse>',
  );
}

function faultXml(code: string, message: string, exportException: boolean): string {
  const detail = exportException
    ? `<detail><ArticleExportException xmlns="http://schemas.datacontract.org/2004/07/ITST.Borgerdk.Export.Common.WcfContracts" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Message>${escapeXml(message)}</Message></ArticleExportException></detail>`
    : '';
  return envelope(`<s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/ws/2005/05/addressing/none">${code}</faultcode><faultstring xml:lang="da-DK">${escapeXml(message)}</faultstring>${detail}</s:Fault>`);
}

/** Reads the request the way WCF's deserialiser would for this operation, without a general XML parser. */
function readRequest(action: string, body: string): ContractRequest | null {
  const op = /<(?:\w+:)?GetArticlesByIDs\b[^>]*xmlns="([^"]*)"[^>]*>([\s\S]*?)<\/(?:\w+:)?GetArticlesByIDs>/.exec(body);
  if (!op || op[1] !== SERVICE_NS) return null;
  const idsBlock = /<(?:\w+:)?articleIDs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?articleIDs>/.exec(op[2]!)?.[1] ?? '';
  const articleIds = [...idsBlock.matchAll(/<(?:\w+:)?int>\s*(\d+)\s*<\/(?:\w+:)?int>/g)].map((m) => Number(m[1]));
  const code = /<(?:\w+:)?municipalityCode>\s*(\d+)\s*<\/(?:\w+:)?municipalityCode>/.exec(op[2]!)?.[1];
  return { action, articleIds, municipalityCode: code === undefined ? null : Number(code) };
}

export async function startContractServer(articles: ContractArticle[] = []): Promise<ContractServer> {
  const sockets = new Set<Socket>();
  const state: Omit<ContractServer, 'url' | 'close'> = {
    articles: new Map(articles.map((a) => [a.ArticleID, a])),
    mode: 'normal',
    unknownIds: 'omit',
    requests: [],
    put(article) {
      this.articles.set(article.ArticleID, article);
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, xml: string, type = 'text/xml; charset=utf-8') => {
        res.writeHead(status, { 'content-type': type });
        res.end(xml);
      };
      if (req.method !== 'POST' || req.url?.split('?')[0] !== CONTRACT_PATH) return send(404, '<html><body>Not found</body></html>', 'text/html');
      if (state.mode === 'hang') return; // the socket stays open until the client gives up or the server closes
      if (state.mode === 'http500') return send(500, '<html><head><title>Runtime Error</title></head><body><h1>Server Error in \'/\' Application.</h1></body></html>', 'text/html; charset=utf-8');
      if (state.mode === 'malformed') return send(200, `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body><GetArticlesByIDsResponse xmlns="${SERVICE_NS}"><GetArticlesByIDsResult><a:Article>`);
      const action = String(req.headers.soapaction ?? '').replace(/^"|"$/g, '');
      if (action !== ACTION) return send(500, faultXml('a:ActionNotSupported', `The message with Action '${action}' cannot be processed at the receiver.`, false));
      const request = readRequest(action, Buffer.concat(chunks).toString('utf8'));
      if (!request) return send(500, faultXml('s:Client', 'The formatter threw an exception while trying to deserialize the message.', false));
      state.requests.push(request);
      if (state.mode === 'fault') return send(500, faultXml('s:Client', 'An error occurred while exporting articles.', true));
      const unknown = request.articleIds.filter((id) => !state.articles.has(id));
      if (unknown.length && state.unknownIds === 'fault') return send(500, faultXml('s:Client', `No article found with id ${unknown[0]}`, true));
      return send(200, resultXml(request.articleIds.flatMap((id) => state.articles.get(id) ?? [])));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}${CONTRACT_PATH}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
