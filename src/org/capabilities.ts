import type { Channel, GroupKind, JobRole, MemberRole } from './model.ts';

/** What capabilities are made from: one person's role, group memberships and the units they head. */
export interface CapabilitySources {
  active: boolean;
  jobRole: JobRole;
  unitIds: string[];
  memberships: { kind: GroupKind; channel: Channel | null; subsiteUnitId: string | null; role: MemberRole; groupId: string }[];
  heads: { unitId: string; isPlatformOwner: boolean }[];
}

/**
 * Capabilities are names such as `website.publish` or `subsite:<unit-id>.edit`.
 * Services check them; nothing else grants access.
 */
export function deriveCapabilities(s: CapabilitySources): Set<string> {
  const caps = new Set<string>();
  if (!s.active) return caps;

  caps.add('intranet.read');
  caps.add('intranet.post');

  for (const m of s.memberships) {
    if (m.kind === 'channel_editors' && m.channel) {
      caps.add(`${m.channel}.edit`);
      caps.add(`${m.channel}.publish`);
      if (m.role === 'lead') caps.add(`${m.channel}.lead`);
      if (m.channel === 'social') {
        caps.add('social.moderate');
        // The social media editors are Kommunikationsafdelingen: they raise crisis messages with the platform owner.
        caps.add('crisis.raise');
      }
      caps.add('admin.enter');
    }
    if (m.kind === 'subsite_editors' && m.subsiteUnitId) {
      caps.add(`subsite:${m.subsiteUnitId}.edit`);
      caps.add(`subsite:${m.subsiteUnitId}.publish`);
      caps.add('admin.enter');
    }
    if (m.kind === 'ad_hoc') caps.add(`group:${m.groupId}.member`);
    if (m.kind === 'channel_editors' || m.kind === 'subsite_editors') caps.add('governance.propose');
  }

  for (const h of s.heads) {
    caps.add(`unit:${h.unitId}.overview`);
    if (h.isPlatformOwner) {
      for (const c of ['org.admin', 'groups.manage', 'governance.decide', 'governance.propose', 'crisis.raise', 'audit.read', 'sites.approve', 'admin.enter']) caps.add(c);
    }
  }
  if (s.jobRole === 'manager') for (const u of s.unitIds) caps.add(`unit:${u}.overview`);
  return caps;
}

/** Capabilities as the admin screens show them, grouped and sorted. */
export function sortedCapabilities(caps: Set<string>): string[] {
  return [...caps].sort();
}
