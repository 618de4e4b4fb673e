import type { FastifyRequest } from 'fastify';
import { ForbiddenError, ValidationError } from './errors.ts';

export type Form = Record<string, string | string[] | undefined>;
export type Values = Record<string, string | string[]>;
export type Errors = Record<string, string>;

export const formOf = (request: FastifyRequest): Form => (request.body && typeof request.body === 'object' ? (request.body as Form) : {});
export const queryOf = (request: FastifyRequest): Form => (request.query && typeof request.query === 'object' ? (request.query as Form) : {});
export const paramsOf = (request: FastifyRequest): Record<string, string> => request.params as Record<string, string>;

/** A browser may send a field twice; the first value is the one the form meant. */
export function text(form: Form, key: string): string {
  const v = form[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

export function list(form: Form, key: string): string[] {
  const v = form[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export const pick = (form: Form, keys: readonly string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, text(form, k)]));

/** The messages of a refused form; anything else is not the form's fault and goes to the error pages. */
export function fieldsOf(error: unknown): Errors {
  if (error instanceof ValidationError) return error.fields;
  throw error;
}

/** Refuses a whole area of routes before any handler reads data; the services still check for themselves. */
export function guard(allowed: (actor: FastifyRequest['actor']) => boolean) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!allowed(request.actor)) throw new ForbiddenError();
  };
}

export const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((k) => ({ value: k, text: labels[k] }));

/** Query flag → the message it shows. */
export type Notices = Record<string, string>;

/** The outcomes most screens share; a domain adds its own beside them. */
export const COMMON_NOTICES: Notices = {
  oprettet: 'Oprettet.',
  gemt: 'Ændringerne er gemt.',
  deaktiveret: 'Deaktiveret.',
  aktiveret: 'Aktiveret igen.',
};

/** Success is carried in the address after the redirect, so a reload neither repeats the change nor needs a session. */
export function noticeFor(request: FastifyRequest, notices: Notices): string | null {
  const q = queryOf(request);
  const flag = Object.keys(notices).find((k) => q[k] !== undefined);
  return flag ? notices[flag]! : null;
}

export const flagged = (value: string): boolean => value !== '' && value !== '0';

interface PageLink {
  number: number;
  href: string;
  current: boolean;
}

/** Page links for server-side paging: first, last, and the neighbours of the current page; `null` marks a gap. */
export function pagination(page: number, totalPages: number, hrefFor: (page: number) => string) {
  if (totalPages <= 1) return null;
  const wanted = new Set([1, totalPages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= totalPages));
  const items: (PageLink | null)[] = [];
  let last = 0;
  for (const n of [...wanted].sort((a, b) => a - b)) {
    if (n > last + 1) items.push(null);
    items.push({ number: n, href: hrefFor(n), current: n === page });
    last = n;
  }
  return {
    page,
    totalPages,
    items,
    first: page > 1 ? hrefFor(1) : null,
    previous: page > 1 ? hrefFor(page - 1) : null,
    next: page < totalPages ? hrefFor(page + 1) : null,
    last: page < totalPages ? hrefFor(totalPages) : null,
  };
}

/** The `side` query parameter; anything that is not a positive number is the first page. */
export function pageNumber(q: Form): number {
  const n = Number.parseInt(text(q, 'side'), 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/** Empty values are left out so links stay short and a filter left blank is not carried along. */
export function queryString(entries: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
