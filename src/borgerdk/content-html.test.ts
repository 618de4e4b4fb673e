import { describe, expect, it } from 'vitest';
import { parseContent } from './content-html.ts';

const BASE = 'https://www.borger.dk/familie-og-boern/boern/boernepasning';

const hostile = [
  '<style>#kernetekst{display:none}</style>',
  '<div id="selvbetjeningslinks"><ul>',
  '<li id="link_1"><a href="javascript:alert(1)">Farligt link</a></li>',
  '<li id="link_2"><a href="/selvbetjening/ansoeg" onclick="steal()">Ansøg om plads</a></li>',
  '</ul></div>',
  '<div id="kernetekst">',
  '<div class="microArticle" id="microArticle_501"><h2 onclick="steal()">Sådan <em>søger</em> du</h2><div><div>',
  '<p onmouseover="steal()" style="color:red">Du søger <a href="/pasning/regler" target="_blank">digitalt</a>.</p>',
  '<script>document.cookie</script><img src="x" onerror="steal()"><iframe src="https://evil.example"></iframe>',
  '<h2>Et underafsnit</h2><a href="jav&#x09;ascript:alert(1)">skjult</a>',
  '</div></div></div>',
  '<div id="microArticle_502"><h3>Pris</h3><div><table onclick="x()"><tr><td>1.000 kr.</td></tr></table></div></div>',
  '</div>',
  '<div id="anbefaler"><h3>Borger.dk anbefaler</h3><div><div><p>Søg i god tid.</p></div></div></div>',
  '<div id="byline"><div>Skrevet af <strong>Borger.dk</strong></div></div>',
].join('');

describe('the content HTML of a borger.dk article', () => {
  it('loses every script, event handler, style, frame and javascript: link, in the stored copy and in each part', () => {
    const { document, parts } = parseContent(hostile, BASE);
    const everything = [document, JSON.stringify(parts)].join('\n');
    for (const bad of ['<script', 'document.cookie', 'onclick', 'onmouseover', 'onerror', 'style', 'iframe', 'javascript', '<img', 'target=']) {
      expect(everything, bad).not.toContain(bad);
    }
  });

  it('keeps the text, lists, links and tables, with borger.dk’s own paths made into full addresses', () => {
    const { parts } = parseContent(hostile, BASE);
    expect(parts.selfServiceLinks).toEqual([{ id: '2', url: 'https://www.borger.dk/selvbetjening/ansoeg', label: 'Ansøg om plads', title: '' }]);
    expect(parts.microArticles).toEqual([
      {
        id: '501',
        heading: 'Sådan søger du',
        html: '<p>Du søger <a href="https://www.borger.dk/pasning/regler">digitalt</a>.</p><h3>Et underafsnit</h3>skjult',
      },
      { id: '502', heading: 'Pris', html: '<table><tbody><tr><td>1.000 kr.</td></tr></tbody></table>' },
    ]);
    expect(parts.recommendation).toEqual({ heading: 'Borger.dk anbefaler', html: '<p>Søg i god tid.</p>' });
    expect(parts.legislation).toBeNull();
    expect(parts.byline).toBe('Skrevet af Borger.dk');
  });

  it('an article without the marked parts has none, rather than failing', () => {
    expect(parseContent('<p>Kun tekst</p>', BASE).parts).toEqual({ selfServiceLinks: [], microArticles: [], legislation: null, recommendation: null, byline: null });
  });
});
