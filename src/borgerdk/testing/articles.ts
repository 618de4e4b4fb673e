import { DEMO_BORGERDK_ARTICLES } from '../../demo/borgerdk-seed.ts';
import type { ContractArticle } from './contract-server.ts';

/** WCF's DateTime as borger.dk writes it: Danish local time, no zone. */
export function wcfTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return parts.replace(' ', 'T');
}

/** The demo's articles as the contract server sends them, with the real field names. */
export function contractArticle(articleId: number, changes: Partial<ContractArticle> = {}): ContractArticle {
  const a = DEMO_BORGERDK_ARTICLES.find((x) => x.articleId === articleId);
  if (!a) throw new Error(`no demo article ${articleId}`);
  return {
    ArticleID: a.articleId,
    ArticleTitle: a.title,
    ArticleHeader: a.header,
    ArticleUrl: a.url,
    PublishingDate: wcfTime(a.publishedAt!),
    LastUpdated: wcfTime(a.lastUpdatedAt!),
    Content: a.content,
    ...changes,
  };
}
