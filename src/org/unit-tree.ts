import type { Unit } from './model.ts';

interface UnitNode {
  unit: Unit;
  /** False for an ancestor that is shown only so a match keeps its place in the tree. */
  matched: boolean;
  children: UnitNode[];
}

/** Builds the tree of `shown` units; a unit whose parent is not shown becomes a root. */
export function unitTree(units: Unit[], shown: Set<string>, matched: Set<string>): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const u of units) if (shown.has(u.id)) nodes.set(u.id, { unit: u, matched: matched.has(u.id), children: [] });
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** A search match keeps its ancestors so it is seen where it sits in the organisation. */
export function withAncestors(units: Unit[], ids: Set<string>): Set<string> {
  const shown = new Set(ids);
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const id of ids) for (let p = byId.get(id)?.parentId; p && !shown.has(p); p = byId.get(p)?.parentId) shown.add(p);
  return shown;
}

function flatten(nodes: UnitNode[], depth = 0, out: { unit: Unit; depth: number }[] = []) {
  for (const n of nodes) {
    out.push({ unit: n.unit, depth });
    flatten(n.children, depth + 1, out);
  }
  return out;
}

/** Every unit in tree order with its depth, for selects and checkbox lists. */
export function unitsInTreeOrder(units: Unit[]) {
  const all = new Set(units.map((u) => u.id));
  return flatten(unitTree(units, all, all));
}

// Options cannot be styled, so depth is shown with non-breaking spaces, which screen readers skip.
export const indented = (depth: number, name: string) => '\u00a0\u00a0\u00a0'.repeat(depth) + name;

export function descendantsOf(units: Unit[], id: string): Set<string> {
  const found = new Set<string>([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of units) {
      if (u.parentId && found.has(u.parentId) && !found.has(u.id)) {
        found.add(u.id);
        grew = true;
      }
    }
  }
  return found;
}
