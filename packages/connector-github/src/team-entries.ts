/** A team an add asks for, with the role in it. */
export interface TeamEntry {
  readonly slug: string;
  readonly role: 'member' | 'maintainer';
}

/** `slug`, `slug:maintainer` or `slug:member`; a bare slug takes `fallback` (config's `team_role`). */
export function teamEntries(
  entries: readonly string[],
  fallback: 'member' | 'maintainer' = 'member',
): TeamEntry[] {
  return entries.map((entry) => {
    const [slug = entry, asked] = entry.split(':');
    const role = asked === 'maintainer' || asked === 'member' ? asked : fallback;
    return { slug, role };
  });
}
