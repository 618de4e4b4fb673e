/** The three faces of Mediehus, each with its own base layout and menu. */
export type Face = 'site' | 'intranet' | 'admin';

export interface MenuLink {
  text: string;
  href: string;
  current?: boolean;
}
