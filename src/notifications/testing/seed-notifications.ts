// For measuring and testing the digests: many people with unmailed notifications, written in bulk with the same
// rows notify() writes (through notify() 100,000 rows would take long). Not used by the app itself.
import type { Db } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import type { NotificationKind } from '../model.ts';

const ROWS = 500;

const TITLES = [
  'Ny procedure for indberetning af kørsel',
  'Personalemøde flyttes til torsdag',
  'Trivselsmålingen er klar – se jeres resultater',
  'Kantinen holder lukket fredag',
  'Husk tilmelding til kurset i klarsprog',
  'Vagtplanen for december ligger klar',
];

export interface NotificationLoad {
  /** The people who got notifications, new or given. */
  personIds: string[];
  notifications: number;
}

/**
 * Gives each person `perPerson` unmailed, unread notifications of `kind` (default news, which is gathered daily
 * until a person chooses otherwise), recorded during the day before `at`. `people` is either a number of new
 * people to create (active employees with addresses of their own) or the ids of people already there.
 */
export async function seedNotificationLoad(
  db: Db,
  options: { people: number | string[]; perPerson: number; kind?: NotificationKind; at?: Date },
): Promise<NotificationLoad> {
  const at = (options.at ?? new Date()).getTime();
  const kind = options.kind ?? 'news';
  const run = newId().slice(0, 8);
  return db.transaction().execute(async (tx) => {
    let personIds: string[];
    if (typeof options.people === 'number') {
      const now = new Date(at).toISOString();
      personIds = [];
      const rows = Array.from({ length: options.people }, (_, n) => {
        const id = newId();
        personIds.push(id);
        return {
          id,
          name: `Medarbejder ${n + 1}`,
          email: `notifikation-${run}-${n + 1}@bench.toender.dk`,
          job_role: 'employee',
          leadership_level: null,
          title: null,
          phone: null,
          active: 1,
          password_hash: null,
          external_id: null,
          failed_signins: 0,
          locked_until: null,
          created_at: now,
          updated_at: now,
        };
      });
      for (let i = 0; i < rows.length; i += ROWS) await tx.insertInto('people').values(rows.slice(i, i + ROWS)).execute();
    } else {
      personIds = options.people;
    }
    const rows = personIds.flatMap((person_id, p) =>
      Array.from({ length: options.perPerson }, (_, j) => ({
        id: newId(),
        person_id,
        kind,
        source_key: `load:${run}:${j}`,
        title: TITLES[(p + j) % TITLES.length]!,
        text: 'Læs mere på TønderPortalen, og spørg din leder, hvis du er i tvivl.',
        url: `/intranet/nyheder/belastning-${run}-${j}`,
        // Spread over the day before, oldest first, so ordering and grouping are exercised.
        created_at: new Date(at - (options.perPerson - j) * 60_000 - (p % 600) * 60_000).toISOString(),
        read_at: null,
        mailed_at: null,
      })),
    );
    for (let i = 0; i < rows.length; i += ROWS) await tx.insertInto('notifications').values(rows.slice(i, i + ROWS)).execute();
    return { personIds, notifications: rows.length };
  });
}
