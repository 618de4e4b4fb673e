// The categories a citizen's comment can fall into, each tied to the point of the municipality's guidelines
// ("Brug af digitale medier", section "Retningslinjer og brug af sociale medier") that decides what happens to it.

export const CATEGORY_IDS = ['question', 'casework', 'political', 'offensive', 'harassment', 'unlawful', 'personal_data', 'spam', 'ok'] as const;

export type Category = (typeof CATEGORY_IDS)[number];

export interface CategoryInfo {
  id: Category;
  /** Danish name shown to editors. */
  label: string;
  /** The guideline point that applies, in the guidelines' own words where they have them. */
  guideline: string;
}

export const CATEGORIES: Record<Category, CategoryInfo> = {
  question: {
    id: 'question',
    label: 'Spørgsmål',
    guideline: 'Vi besvarer faktuelle spørgsmål om kommunens virksomhed hurtigst muligt.',
  },
  casework: {
    id: 'casework',
    label: 'Personlig sag',
    guideline: 'Vi udfører ikke sagsbehandling på sociale medier. Opslag, som vedrører personsager, fjernes.',
  },
  political: {
    id: 'political',
    label: 'Politisk debat',
    guideline: 'Vi bruger ikke kommunens sider til politiske diskussioner, men henviser borgerne til at kontakte politikerne direkte.',
  },
  offensive: {
    id: 'offensive',
    label: 'Krænkende eller uhøvisk sprog',
    guideline: 'Indlæg med krænkende, anstødeligt eller uhøvisk indhold bliver fjernet.',
  },
  harassment: {
    id: 'harassment',
    label: 'Chikane eller mobning',
    guideline: 'Chikane og mobning tolereres ikke.',
  },
  unlawful: {
    id: 'unlawful',
    label: 'Ulovligt indhold',
    guideline: 'Opslag, som er i strid med lovgivningen, fjernes (fx trusler, opfordring til vold og hadefuld tale).',
  },
  personal_data: {
    id: 'personal_data',
    label: 'Andres personoplysninger',
    guideline: 'Opslag, som vedrører personsager, fjernes – også når de handler om andre end den, der skriver.',
  },
  spam: {
    id: 'spam',
    label: 'Reklame eller spam',
    guideline: 'Reklame og spam fjernes.',
  },
  ok: {
    id: 'ok',
    label: 'I orden',
    guideline: 'Vi modtager gerne kritiske kommentarer, men forventer en ordentlig og sober tone, hvor alle viser respekt for hinanden.',
  },
};

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORY_IDS as readonly string[]).includes(value);
}
