import { describe, expect, it } from 'vitest';
import type { Unit } from './model.ts';
import { descendantsOf, unitsInTreeOrder, unitTree, withAncestors } from './unit-tree.ts';

const unit = (id: string, parentId: string | null): Unit => ({
  id,
  parentId,
  name: id,
  slug: id,
  kind: 'department',
  email: null,
  phone: null,
  address: null,
  description: null,
  headId: null,
  isPlatformOwner: false,
  active: true,
});

// kommune → skole → { indskoling → sfo, udskoling }, and kultur beside skole
const units = [unit('kommune', null), unit('skole', 'kommune'), unit('indskoling', 'skole'), unit('sfo', 'indskoling'), unit('udskoling', 'skole'), unit('kultur', 'kommune')];

describe('the unit tree', () => {
  it('a match keeps its ancestors, marked as not matched, and leaves its unrelated neighbours out', () => {
    const matched = new Set(['sfo']);
    const [root] = unitTree(units, withAncestors(units, matched), matched);
    expect(root?.unit.id).toBe('kommune');
    expect(root?.matched).toBe(false);
    expect(root?.children.map((n) => n.unit.id)).toEqual(['skole']);
    const sfo = root?.children[0]?.children[0]?.children[0];
    expect(sfo?.unit.id).toBe('sfo');
    expect(sfo?.matched).toBe(true);
  });

  it('descendants are found at every depth, and the unit itself is among them', () => {
    expect([...descendantsOf(units, 'skole')].sort()).toEqual(['indskoling', 'sfo', 'skole', 'udskoling']);
  });

  it('units come in tree order with each child right below its parent', () => {
    expect(unitsInTreeOrder(units).map((n) => `${n.depth}:${n.unit.id}`)).toEqual(['0:kommune', '1:skole', '2:indskoling', '3:sfo', '2:udskoling', '1:kultur']);
  });
});
