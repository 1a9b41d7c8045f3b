import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { type AccessUpdate, accessUpdates, type RosterExport } from './export.js';
import type { Roster } from './types.js';

const STAND_IN_NOTE = (instance: string, identifier: string) =>
  ` e-mail unknown: ${instance} shows ${identifier} without one; replace this stand-in`;

/** Marks each stand-in e-mail in `doc` (people at `people[offset + i]`) with a comment. */
function noteStandIns(doc: Document, exported: RosterExport, offset = 0): void {
  const people = doc.get('people', true) as YAMLSeq | undefined;
  exported.roster.people.forEach((person, i) => {
    const standIn = exported.standIns.find((s) => s.email === person.email);
    if (!standIn) return;
    const email = (people?.get(offset + i, true) as unknown as YAMLMap | undefined)?.get(
      'email',
      true,
    );
    if (isScalar(email)) email.comment = STAND_IN_NOTE(standIn.instance, standIn.identifier);
  });
}

/** A fresh roster file (YAML) holding `exported`, with a header saying where it came from. */
export function exportedRosterYaml(exported: RosterExport, header: string): string {
  const doc = new Document({
    instances: exported.roster.instances,
    people: exported.roster.people,
  });
  doc.commentBefore = ` ${header}\n groups: none exported; group people as you like (docs/rosters.md)`;
  noteStandIns(doc, exported);
  return doc.toString({ lineWidth: 0 });
}

/** What `mergeRosterFile` changed, for the person running it. */
export interface RosterMerge {
  /** The merged file's text: YAML with the roster's comments and layout, or JSON for a JSON roster. */
  readonly text: string;
  readonly instancesAdded: readonly string[];
  readonly peopleAdded: number;
  readonly accessUpdated: readonly AccessUpdate[];
}

/** Sets `instance: role` in a person's `access`, a map or a list, keeping its form. */
function setAccess(doc: Document, person: YAMLMap, instance: string, role: string | null): void {
  const access = person.get('access', true);
  if (isMap(access)) {
    access.set(instance, role);
    return;
  }
  if (isSeq(access)) {
    const named = (item: unknown) =>
      (isScalar(item) && item.value === instance) || (isMap(item) && item.has(instance));
    access.items = access.items.filter((item) => !named(item));
    access.add(doc.createNode({ [instance]: role }));
    return;
  }
  person.set('access', doc.createNode({ [instance]: role }));
}

/**
 * `exported` (read against `roster`, the parsed `text`) merged into the roster's own text, so
 * comments, groups, order and layout stay: instances not yet named are added with
 * `prune: false`, people the roster does not have are appended, and a roster person with access
 * the roster does not give (or with another role) gets it in their own `access` (which groups
 * do not override). Nothing is removed.
 */
export function mergeRosterFile(
  text: string,
  roster: Roster,
  exported: RosterExport,
  json: boolean,
): RosterMerge {
  const doc = parseDocument(text, { keepSourceTokens: false });
  let instances = doc.get('instances', true);
  const instancesAdded: string[] = [];
  for (const name of Object.keys(exported.roster.instances)) {
    if (isMap(instances) && instances.has(name)) continue;
    if (!isMap(instances)) {
      doc.set('instances', doc.createNode({}));
      instances = doc.get('instances', true);
    }
    (instances as YAMLMap).set(name, doc.createNode({ prune: false }));
    instancesAdded.push(name);
  }
  const updates = accessUpdates(roster, exported.matched);
  const people = doc.get('people', true) as YAMLSeq;
  for (const u of updates)
    setAccess(doc, people.get(u.index, true) as unknown as YAMLMap, u.instance, u.role);

  const emails = new Set(roster.people.map((p) => p.email));
  const names = new Set(roster.people.map((p) => p.name.toLowerCase()));
  const offset = people.items.length;
  const added = exported.roster.people.filter((p) => !emails.has(p.email));
  for (const person of added) {
    let name = person.name;
    for (let n = 2; names.has(name.toLowerCase()); n++) name = `${person.name} (${n})`;
    names.add(name.toLowerCase());
    people.add(doc.createNode({ ...person, name }));
  }
  noteStandIns(doc, { ...exported, roster: { ...exported.roster, people: added } }, offset);
  return {
    text: json ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString({ lineWidth: 0 }),
    instancesAdded,
    peopleAdded: added.length,
    accessUpdated: updates,
  };
}
