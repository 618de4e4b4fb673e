import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { startSmtp, type TestSmtpServer } from '../../test/support/smtp.ts';

// Sending an item on: the recipients get the comment by e-mail with CPR numbers masked, and the item remembers it.

describe.each(dialects)('sending an inbox item on to a unit or the politicians (%s)', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const itemBy = (author: string) => t.db.selectFrom('inbox_items').selectAll().where('author_name', '=', author).executeTakeFirstOrThrow();
  const unitBySlug = (slug: string) => t.db.selectFrom('units').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp(dialect, { MEDIEHUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('the page offers the units that do casework and the council’s members, and a missing note is refused in Danish with the choice kept', async () => {
    const sofie = await signedIn(DEMO.social);
    const poul = await itemBy('Poul Sørensen');
    const page = await sofie.get(`/admin/indbakke/${poul.id}/eskaler`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('120345-1234');
    const $ = cheerio.load(page.body);
    const options = $('#f-to option').map((_, el) => $(el).text()).get();
    expect(options).toEqual(expect.arrayContaining(['Borgerservice', 'Dagplejen', 'Økonomi og Styring (ingen e-mailadresse)']));
    expect(options.some((o) => o.startsWith('Byrådets medlemmer (politikerkontakt)'))).toBe(true);
    expect(options).not.toContain('Byrådet');

    const borgerservice = await unitBySlug('borgerservice');
    const res = await sofie.post(`/admin/indbakke/${poul.id}/eskaler`, { to: `unit:${borgerservice.id}`, note: '   ' });
    expect(res.statusCode).toBe(422);
    const $e = cheerio.load(res.body);
    expect($e('#f-note-error').text()).toContain('Skriv en note til modtageren');
    expect($e('#f-to').val()).toBe(`unit:${borgerservice.id}`);
    expect(smtp.received).toHaveLength(0);
    expect((await itemBy('Poul Sørensen')).escalated_to).toBeNull();
  });

  it('a unit without an e-mail address is refused in Danish and nothing is sent', async () => {
    const sofie = await signedIn(DEMO.social);
    const poul = await itemBy('Poul Sørensen');
    const unit = await unitBySlug('oekonomi-og-styring');
    await sofie.get(`/admin/indbakke/${poul.id}/eskaler`);
    const res = await sofie.post(`/admin/indbakke/${poul.id}/eskaler`, { to: `unit:${unit.id}`, note: 'Kan I tage den?' });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    expect($('#f-to-error').text()).toContain('Økonomi og Styring har ingen e-mailadresse');
    expect($('#f-note').text()).toBe('Kan I tage den?');
    expect(smtp.received).toHaveLength(0);
  });

  it('sending to Borgerservice mails the comment with the CPR number masked, the link and the note, and the item page says where it went', async () => {
    const sofie = await signedIn(DEMO.social);
    const poul = await itemBy('Poul Sørensen');
    await t.db.updateTable('inbox_items').set({ url: 'https://www.facebook.com/toenderkommune/posts/1?comment_id=42' }).where('id', '=', poul.id).execute();
    const borgerservice = await unitBySlug('borgerservice');
    await sofie.get(`/admin/indbakke/${poul.id}/eskaler`);
    const res = await sofie.post(`/admin/indbakke/${poul.id}/eskaler`, { to: `unit:${borgerservice.id}`, note: 'Borgeren spørger til sin mors hjemmehjælp (CPR 120345-1234). Kontakt hende via Digital Post.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/indbakke/${poul.id}?sendt-videre=1`);

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelopeTo).toEqual(['borgerservice@toender.dk']);
    expect(mail.subject).toContain('Poul Sørensen');
    expect(mail.raw).not.toContain('120345-1234');
    expect(mail.text).toContain('Min sag om hjemmehjælp til min mor er gået i stå. Hendes CPR er 120345-****');
    expect(mail.text).toContain('Borgeren spørger til sin mors hjemmehjælp (CPR 120345-****)');
    expect(mail.text).toContain('https://www.facebook.com/toenderkommune/posts/1?comment_id=42');
    expect(mail.text).toContain('Sofie Nielsen');

    const row = await itemBy('Poul Sørensen');
    expect(row.escalated_to).toBe(`unit:${borgerservice.id}`);
    expect(row.escalated_at).not.toBeNull();
    const page = cheerio.load((await sofie.get(`/admin/indbakke/${poul.id}?sendt-videre=1`)).body);
    expect(page('[role="status"]').text()).toContain('Henvendelsen er sendt videre.');
    expect(page('.mh-facts').text()).toMatch(/Sendt videre til Borgerservice den \d/);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details']).where('object_id', '=', poul.id).where('action', '=', 'inbox.escalated').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toContain('120345');
  });

  it('sending to the council’s members mails every active politician', async () => {
    const sofie = await signedIn(DEMO.social);
    const anders = await itemBy('Anders Bak');
    const politicians = await t.db.selectFrom('people').select('email').where('job_role', '=', 'politician').where('active', '=', 1).execute();
    expect(politicians.length).toBeGreaterThan(0);
    const before = smtp.received.length;
    await sofie.get(`/admin/indbakke/${anders.id}/eskaler`);
    const res = await sofie.post(`/admin/indbakke/${anders.id}/eskaler`, { to: 'politicians', note: 'Et spørgsmål til byrådet om budgettet.' });
    expect(res.statusCode).toBe(303);
    const mail = smtp.received[before]!;
    expect(mail.envelopeTo.sort()).toEqual(politicians.map((p) => p.email).sort());
    expect(mail.text).toContain('Byrådets medlemmer (politikerkontakt)');
    expect(mail.text).toContain('Borgmesteren og hele Venstre burde skamme sig over budgettet.');
    const page = cheerio.load((await sofie.get(`/admin/indbakke/${anders.id}`)).body);
    expect(page('.mh-facts').text()).toContain('Sendt videre til Byrådets medlemmer (politikerkontakt) den');
  });

  it('the demo’s political comment on X shows that it went to the council’s members', async () => {
    const sofie = await signedIn(DEMO.social);
    const rasmus = await itemBy('Rasmus Vestergaard');
    expect(rasmus.escalated_to).toBe('politicians');
    const page = cheerio.load((await sofie.get(`/admin/indbakke/${rasmus.id}`)).body);
    expect(page('.mh-facts').text()).toContain('Sendt videre til Byrådets medlemmer (politikerkontakt) den');
  });

  it('someone who is not an editor of the item’s account may not send it on', async () => {
    const tina = await itemBy('Tina Holm');
    const anne = await signedIn(DEMO.employee);
    expect((await anne.get(`/admin/indbakke/${tina.id}/eskaler`)).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/${tina.id}/eskaler`, { to: 'politicians', note: 'Se her' })).statusCode).toBe(403);
    const school = await signedIn(DEMO.school);
    expect((await school.get(`/admin/indbakke/${tina.id}/eskaler`)).statusCode).toBe(403);
    expect((await itemBy('Tina Holm')).escalated_to).toBeNull();
  });
});

describe.each(dialects)('sending an item on when the mail server refuses (%s)', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtp({ onRcptTo: (_address, _session, callback) => callback(new Error('Postkassen findes ikke')) });
    t = await createTestApp(dialect, { MEDIEHUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('the editor is told in Danish, the note is kept and the item is not marked as sent on', async () => {
    const sofie = new Browser(t.app);
    await sofie.signIn(DEMO.social);
    const poul = await t.db.selectFrom('inbox_items').select('id').where('author_name', '=', 'Poul Sørensen').executeTakeFirstOrThrow();
    const unit = await t.db.selectFrom('units').select('id').where('slug', '=', 'borgerservice').executeTakeFirstOrThrow();
    await sofie.get(`/admin/indbakke/${poul.id}/eskaler`);
    const res = await sofie.post(`/admin/indbakke/${poul.id}/eskaler`, { to: `unit:${unit.id}`, note: 'Tag jer af denne.' });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    expect($('[role="alert"]').text()).toContain('E-mailen kunne ikke sendes');
    expect($('#f-note').text()).toBe('Tag jer af denne.');
    const row = await t.db.selectFrom('inbox_items').select('escalated_to').where('id', '=', poul.id).executeTakeFirstOrThrow();
    expect(row.escalated_to).toBeNull();
    expect(await t.db.selectFrom('audit_log').select('seq').where('object_id', '=', poul.id).where('action', '=', 'inbox.escalated').execute()).toEqual([]);
  });
});
