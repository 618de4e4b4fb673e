import type { Command } from 'commander';
import { verifyAuditChain } from '../platform/audit/service.ts';
import { exitWith, withDatabase } from './support.ts';

async function verify(): Promise<void> {
  await withDatabase(async (db) => {
    const result = await verifyAuditChain(db);
    if (result.ok) {
      console.log(`Revisionsloggen er intakt: ${result.checked} poster kontrolleret.`);
      return;
    }
    const { seq, reason } = result.problem!;
    const lines = [`Revisionsloggen er brudt ved post nr. ${seq}: ${reason}.`];
    const entry = await db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirst();
    if (entry) {
      lines.push(`  Post nr. ${entry.seq}: ${entry.at}  ${entry.action}  ${entry.object_type} ${entry.object_id ?? '-'}  udført af ${entry.actor_label}`);
      lines.push(`  Detaljer: ${entry.details}`);
    }
    if (result.checked === 1) lines.push('Posten før den er i orden.');
    else if (result.checked > 1) lines.push(`De ${result.checked} poster før den er i orden.`);
    console.error(lines.join('\n'));
    exitWith(1);
  });
}

export function registerAuditCommands(program: Command): void {
  const auditCommand = program.command('audit').description('Arbejd med revisionsloggen (hvem gjorde hvad og hvornår).');

  auditCommand
    .command('verify')
    .description('Kontrollér, at ingen poster i revisionsloggen er ændret eller slettet, ved at gennemregne hash-kæden.')
    .action(verify);
}
