import { z } from 'zod';
import type { MenuLink, SiteKind } from './store.ts';

export const SITE_KINDS = ['subsite', 'independent'] as const;
export const SITE_KIND_LABELS: Record<SiteKind, string> = {
  subsite: 'Subsite for en institution (på hjemmesiden under /adresse)',
  independent: 'Selvstændigt website (eget domænenavn)',
};

/** First path segments the main website uses itself; a subsite may not take them. */
export const RESERVED_SLUGS = new Set([
  'admin', 'intranet', 'login', 'logout', 'soeg', 'selvbetjening', 'nyheder', 'arrangementer', 'aabningstider',
  'borger', 'erhverv', 'politik', 'kommunen', 'was', 'privatliv', 'media', 'assets', 'healthz', 'readyz', 'api',
  'app', 'robots.txt', 'sitemap.xml', 'favicon.ico', 'oidc', 'saml', 'sites', 'forside',
]);

export const MAX_MENU_LINKS = 8;

const HOST = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The menu is typed one link a line, "Tekst | /adresse": a list of text fields would need JavaScript
 * to add rows, and a line is easy to move.
 */
export function parseMenu(lines: string): { links: MenuLink[]; problem: string | null } {
  const links: MenuLink[] = [];
  for (const [i, raw] of lines.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const [text = '', href = '', ...rest] = line.split('|').map((s) => s.trim());
    if (!text || !href || rest.length) return { links, problem: `Linje ${i + 1} skal have formen "Tekst | /adresse".` };
    if (text.length > 40) return { links, problem: `Teksten på linje ${i + 1} må højst være 40 tegn.` };
    if (!/^(\/[^\s]*|https:\/\/[^\s]+)$/.test(href)) return { links, problem: `Adressen på linje ${i + 1} skal begynde med / eller https://.` };
    links.push({ text, href });
  }
  if (links.length > MAX_MENU_LINKS) return { links, problem: `Menuen må højst have ${MAX_MENU_LINKS} punkter.` };
  return { links, problem: null };
}

export const menuLines = (menu: MenuLink[]): string => menu.map((l) => `${l.text} | ${l.href}`).join('\n');

const trimmed = z.string().trim();

export const siteInput = z
  .object({
    kind: z.enum(SITE_KINDS, { message: 'Vælg om det er et subsite eller et selvstændigt website.' }),
    unitId: trimmed.min(1, 'Vælg den enhed, der ejer sitet.'),
    name: trimmed.min(2, 'Skriv sitets navn.').max(80, 'Navnet må højst være 80 tegn.'),
    slug: trimmed
      .toLowerCase()
      .min(2, 'Skriv sitets adresse, fx "distriktsskolen".')
      .max(40, 'Adressen må højst være 40 tegn.')
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Adressen må kun have små bogstaver a–z, tal og bindestreger, fx "distriktsskolen".')
      .refine((s) => !RESERVED_SLUGS.has(s), 'Adressen bruges af hjemmesiden selv. Vælg en anden.'),
    host: trimmed.toLowerCase().max(253).refine((h) => h === '' || HOST.test(h), 'Skriv et domænenavn som "kulturnat.toender.dk", uden https:// og uden skråstreg.'),
    intro: trimmed.max(500, 'Introduktionen må højst være 500 tegn.'),
    menu: z.string().max(4000, 'Menuen er for lang.'),
    slotCount: z.coerce.number({ message: 'Skriv et tal fra 1 til 12.' }).int('Skriv et helt tal fra 1 til 12.').min(1, 'Skriv et tal fra 1 til 12.').max(12, 'Skriv et tal fra 1 til 12.'),
  })
  .superRefine((s, ctx) => {
    if (s.kind === 'independent' && !s.host) ctx.addIssue({ code: 'custom', path: ['host'], message: 'Et selvstændigt website skal have sit eget domænenavn.' });
    const menu = parseMenu(s.menu);
    if (menu.problem) ctx.addIssue({ code: 'custom', path: ['menu'], message: menu.problem });
  });

export type SiteInput = z.infer<typeof siteInput>;
