import type { ItemState } from './types.ts';

/**
 * The editorial state machine. Each transition names the states it leaves from, where it leads,
 * the right it needs on every channel the item is placed in, and its extra rules.
 * CONTEXT.md shows the same table for people.
 */
export interface TransitionRule {
  from: readonly ItemState[] | 'live';
  to: ItemState | 'same' | 'after_unpublish';
  needs: 'edit' | 'publish' | 'system';
  /** The second pair of eyes: nobody who wrote this edition may take this step. */
  notAnAuthor?: boolean;
  label: string;
}

export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'in_review', needs: 'edit', label: 'Send til godkendelse' },
  approve: { from: ['in_review'], to: 'approved', needs: 'publish', notAnAuthor: true, label: 'Godkend' },
  send_back: { from: ['in_review'], to: 'draft', needs: 'publish', notAnAuthor: true, label: 'Send tilbage' },
  publish: { from: ['approved'], to: 'published', needs: 'publish', label: 'Udgiv nu' },
  schedule: { from: ['approved'], to: 'scheduled', needs: 'publish', label: 'Planlæg udgivelse' },
  unschedule: { from: ['scheduled'], to: 'approved', needs: 'publish', label: 'Annullér planlagt udgivelse' },
  publish_scheduled: { from: ['scheduled'], to: 'published', needs: 'system', label: 'Planlagt udgivelse' },
  emergency_publish: { from: ['draft', 'in_review', 'approved'], to: 'published', needs: 'publish', label: 'Hasteudgiv uden godkendelse' },
  mark_reviewed: { from: 'live', to: 'same', needs: 'publish', label: 'Markér som gennemset' },
  unpublish: { from: 'live', to: 'after_unpublish', needs: 'publish', label: 'Afpublicér' },
  schedule_unpublish: { from: 'live', to: 'same', needs: 'publish', label: 'Planlæg afpublicering' },
  unpublish_scheduled: { from: 'live', to: 'after_unpublish', needs: 'system', label: 'Planlagt afpublicering' },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof TRANSITIONS;

export interface WorkflowFacts {
  state: ItemState;
  hasLive: boolean;
  /** Not reviewed since an emergency publish. */
  notReviewed: boolean;
  emergencyPublisherId: string | null;
  /** Everyone who saved a revision of the current edition. */
  editionAuthors: string[];
  actorId: string | null;
  canEdit: boolean;
  canPublish: boolean;
}

/** Why a transition may not happen: 403 when it is not this person's to take, 409 when the item is not in a state for it. */
export interface Refusal {
  status: 403 | 409;
  message: string;
}

/** Null when the transition may happen. */
export function refusal(name: TransitionName, f: WorkflowFacts): Refusal | null {
  const rule: TransitionRule = TRANSITIONS[name];
  if (rule.from === 'live') {
    if (!f.hasLive) return { status: 409, message: 'Indholdet er ikke udgivet.' };
  } else if (!rule.from.includes(f.state)) {
    return { status: 409, message: `"${rule.label}" kan ikke lade sig gøre i den tilstand, indholdet er i nu. Genindlæs siden.` };
  }
  if (rule.needs === 'system') return f.actorId === null ? null : { status: 403, message: 'Kun systemet kan udføre dette trin.' };
  if (rule.needs === 'edit' && !f.canEdit) return { status: 403, message: 'Du har ikke ret til at redigere dette indhold.' };
  if (rule.needs === 'publish' && !f.canPublish) return { status: 403, message: 'Du har ikke ret til at udgive i alle de kanaler, indholdet er placeret i.' };
  if (rule.notAnAuthor && f.actorId && f.editionAuthors.includes(f.actorId)) {
    return { status: 403, message: 'Du har selv skrevet i denne udgave. En anden redaktør skal godkende den (to par øjne).' };
  }
  if (name === 'mark_reviewed') {
    if (!f.notReviewed) return { status: 409, message: 'Indholdet er allerede gennemset.' };
    if (f.actorId === f.emergencyPublisherId) return { status: 403, message: 'En anden end den, der hasteudgav, skal gennemse indholdet.' };
  }
  return null;
}

/** The state after a transition; unpublishing leaves a pending draft's state alone. */
export function stateAfter(name: TransitionName, current: ItemState): ItemState {
  const to: TransitionRule['to'] = TRANSITIONS[name].to;
  if (to === 'same') return current;
  if (to === 'after_unpublish') return current === 'published' ? 'archived' : current;
  return to;
}

/** Transitions the actor could take now, for showing the right buttons. */
export function availableTransitions(f: WorkflowFacts): TransitionName[] {
  return (Object.keys(TRANSITIONS) as TransitionName[]).filter((n) => TRANSITIONS[n].needs !== 'system' && refusal(n, f) === null);
}

/** Saving a change undoes any approval: the approved text is no longer the text. */
export function stateAfterSave(current: ItemState): ItemState {
  return current === 'published' || current === 'archived' || current === 'in_review' || current === 'approved' || current === 'scheduled' ? 'draft' : current;
}
