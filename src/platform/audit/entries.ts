import type { AuditRow } from '../tables.ts';

// Audit entries in words, for every screen that shows them. Each domain's actions are named here.

export const OBJECT_TYPE_LABELS: Record<string, string> = { unit: 'Enhed', person: 'Person', group: 'Gruppe', item: 'Indhold', media: 'Medie', settings: 'Indstilling', front_page: 'Forside' };

export const ACTION_LABELS: Record<string, string> = {
  'unit.created': 'Enhed oprettet',
  'unit.updated': 'Enhed ændret',
  'unit.enabled': 'Enhed aktiveret',
  'unit.disabled': 'Enhed deaktiveret',
  'unit.hours_set': 'Åbningstider ændret',
  'unit.exception_set': 'Undtagelse i åbningstider gemt',
  'unit.exception_removed': 'Undtagelse i åbningstider slettet',
  'person.created': 'Person oprettet',
  'person.updated': 'Person ændret',
  'person.enabled': 'Person aktiveret',
  'person.disabled': 'Person deaktiveret',
  'group.created': 'Gruppe oprettet',
  'group.updated': 'Gruppe ændret',
  'group.enabled': 'Gruppe aktiveret',
  'group.disabled': 'Gruppe deaktiveret',
  'group.member_set': 'Medlem tilføjet eller ændret',
  'group.member_removed': 'Medlem fjernet',
  'signin.password': 'Logget ind med adgangskode',
  'signin.failed': 'Mislykket login',
  'signin.locked': 'Konto låst efter for mange forsøg',
  signout: 'Logget ud',
  'signin.oidc': 'Logget ind med OpenID Connect',
  'signin.oidc_refused': 'Login med OpenID Connect afvist',
  'person.password_set': 'Adgangskode sat',
  'item.created': 'Indhold oprettet',
  'item.saved': 'Indhold gemt',
  'item.submit': 'Sendt til godkendelse',
  'item.approve': 'Godkendt',
  'item.send_back': 'Sendt tilbage',
  'item.publish': 'Udgivet',
  'item.schedule': 'Udgivelse planlagt',
  'item.unschedule': 'Planlagt udgivelse annulleret',
  'item.publish_scheduled': 'Udgivet som planlagt',
  'item.emergency_publish': 'Hasteudgivet uden godkendelse',
  'item.mark_reviewed': 'Gennemset efter hasteudgivelse',
  'item.unpublish': 'Afpubliceret',
  'item.schedule_unpublish': 'Afpublicering planlagt',
  'item.unpublish_scheduled': 'Afpubliceret som planlagt',
  'media.uploaded': 'Billede uploadet',
  'media.alt_updated': 'Alternativ tekst ændret',
  'media.deleted': 'Billede slettet',
  'settings.jargon_updated': 'Listen over ord at undgå ændret',
  'front_page.placed': 'Sat på forsiden',
  'front_page.replaced': 'Erstattet på forsiden',
  'front_page.moved': 'Flyttet på forsiden',
  'front_page.removed': 'Taget af forsiden',
  'front_page.slot_count_set': 'Antal pladser på forsiden ændret',
};

/** An entry in words; the person page shows its recent entries the same way. */
export function describeEntry(e: AuditRow) {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor_label,
    action: ACTION_LABELS[e.action] ?? e.action,
    actionCode: e.action,
    objectType: e.object_type,
    objectTypeLabel: OBJECT_TYPE_LABELS[e.object_type] ?? e.object_type,
    objectId: e.object_id,
    ip: e.ip,
  };
}
