/**
 * Drive's partial responses: `fields=nextPageToken,permissions(id,emailAddress)` keeps only those
 * fields; `*` keeps all. Without `fields`, a permission carries only `kind,id,type,role` — the
 * reason a client that forgets `fields` never sees e-mail addresses.
 */
export type FieldMask = '*' | Map<string, FieldMask>;

export function parseFields(text: string | null): FieldMask | undefined {
  if (text === null || text.trim() === '') return undefined;
  let i = 0;
  const parseList = (): Map<string, FieldMask> => {
    const out = new Map<string, FieldMask>();
    while (i < text.length) {
      let name = '';
      while (i < text.length && !',()'.includes(text[i]!)) name += text[i++];
      name = name.trim();
      let sub: FieldMask = '*';
      if (text[i] === '(') {
        i++;
        sub = parseList();
        i++; // ')'
      }
      // `a/b` selects b inside a.
      const [head, ...rest] = name.split('/');
      if (head) out.set(head, rest.length > 0 ? new Map([[rest.join('/'), sub]]) : sub);
      if (text[i] === ',') i++;
      else if (text[i] === ')' || i >= text.length) break;
    }
    return out;
  };
  if (text.trim() === '*') return '*';
  return parseList();
}

export function project(value: Record<string, unknown>, mask: FieldMask): Record<string, unknown> {
  if (mask === '*') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    if (key === '*') return value;
    const v = value[key];
    if (v === undefined) continue;
    if (Array.isArray(v))
      out[key] = v.map((x) =>
        x && typeof x === 'object' ? project(x as Record<string, unknown>, sub) : x,
      );
    else if (v && typeof v === 'object') out[key] = project(v as Record<string, unknown>, sub);
    else out[key] = v;
  }
  return out;
}
