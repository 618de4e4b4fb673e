import { describe, expect, it } from 'vitest';
import { deriveCapabilities, type CapabilitySources } from './capabilities.ts';

const base: CapabilitySources = { active: true, jobRole: 'employee', unitIds: ['u1'], memberships: [], heads: [] };

describe('capabilities', () => {
  it('every active person may read and post on the intranet, and nothing more', () => {
    expect([...deriveCapabilities(base)].sort()).toEqual(['intranet.post', 'intranet.read']);
  });

  it('a disabled person may do nothing at all', () => {
    expect(deriveCapabilities({ ...base, active: false, heads: [{ unitId: 'p', isPlatformOwner: true }] }).size).toBe(0);
  });

  it('a member of the website editor group may edit and publish the website and enter the admin', () => {
    const caps = deriveCapabilities({ ...base, memberships: [{ groupId: 'g', kind: 'channel_editors', channel: 'website', subsiteUnitId: null, role: 'member' }] });
    expect(caps).toContain('website.edit');
    expect(caps).toContain('website.publish');
    expect(caps).toContain('admin.enter');
    expect(caps).not.toContain('intranet.edit');
    expect(caps).not.toContain('website.lead');
  });

  it("a subsite editor may edit only that institution's subsite", () => {
    const caps = deriveCapabilities({ ...base, memberships: [{ groupId: 'g', kind: 'subsite_editors', channel: null, subsiteUnitId: 'school', role: 'lead' }] });
    expect(caps).toContain('subsite:school.edit');
    expect(caps).not.toContain('website.edit');
  });

  it('the head of the platform-owner unit administers the organisation, groups and decisions', () => {
    const caps = deriveCapabilities({ ...base, jobRole: 'manager', heads: [{ unitId: 'sih', isPlatformOwner: true }] });
    for (const c of ['org.admin', 'groups.manage', 'governance.decide', 'crisis.raise', 'audit.read']) expect(caps).toContain(c);
  });

  it('the head of another unit sees their own unit, but administers nothing', () => {
    const caps = deriveCapabilities({ ...base, jobRole: 'manager', heads: [{ unitId: 'kultur', isPlatformOwner: false }] });
    expect(caps).toContain('unit:kultur.overview');
    expect(caps).not.toContain('org.admin');
  });
});
