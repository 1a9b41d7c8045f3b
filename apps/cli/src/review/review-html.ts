import { escapeHtml } from '@orchester/core';
import { type AccessReview, ageInDays, type ReviewEntry } from '@orchester/runtime';

// Inline only: the page fetches nothing (the CSP below forbids it too) and prints on paper.
const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1d2430}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#5b6676;margin:0 0 1rem}
dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;margin:0}
dl.summary div{border:1px solid #d6dbe3;border-radius:6px;padding:.5rem .75rem}
dl.summary dt{color:#5b6676;font-size:.8rem}dl.summary dd{margin:0;font-size:1.4rem;font-weight:600}
table{border-collapse:collapse;margin:.25rem 0}th,td{border:1px solid #d6dbe3;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f1f3f7}tbody th{font-weight:500}small{color:#5b6676}
td.member{background:#e8f5e9}td.invited{background:#fff8e1}td.deactivated{background:#eceff1;color:#78909c}
td.admin{font-weight:700}.none{color:#9aa5b1}.warn{color:#b3261e}
@media print{body{margin:0}}
`;

function section(id: string, title: string, count: number, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)} <small>(<span data-count="${id}">${count}</span>)</small></h2>${body}</section>`;
}

function entryTable(
  rows: readonly ReviewEntry[],
  extra?: { head: string; cell(e: ReviewEntry): string },
): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const head = `<tr><th>Instance</th><th>Identifier</th><th>Person</th><th>State</th><th>Role</th>${extra ? `<th>${escapeHtml(extra.head)}</th>` : ''}</tr>`;
  const body = rows
    .map(
      (e) =>
        `<tr data-row><td>${escapeHtml(e.instance)}</td><td>${escapeHtml(e.identifier)}</td><td>${escapeHtml(e.person?.name ?? e.email ?? '')}</td><td>${escapeHtml(e.state)}</td><td>${escapeHtml(e.role)}</td>${extra ? `<td>${escapeHtml(extra.cell(e))}</td>` : ''}</tr>`,
    )
    .join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function matrix(review: AccessReview, adminRoles: readonly string[]): string {
  const names = review.instances.map((i) => i.instance);
  const head = `<tr><th>Person</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
  const rows = review.people
    .map((p) => {
      const who = `${escapeHtml(p.name ?? p.email ?? p.key)}${p.name && p.email ? ` <small>${escapeHtml(p.email)}</small>` : ''}${p.inRoster === false ? ' <small class="warn">not in roster</small>' : ''}`;
      const cells = names
        .map((n) => {
          const e = p.access[n];
          if (!e) return '<td class="none">–</td>';
          const admin = e.role !== undefined && adminRoles.includes(e.role);
          const age = e.state === 'invited' ? ageInDays(e.since, review.takenAt) : undefined;
          const text = [
            e.role ?? '',
            e.state === 'member' ? '' : e.state,
            age !== undefined ? `${age} d` : '',
          ]
            .filter(Boolean)
            .join(', ');
          return `<td class="${escapeHtml(e.state)}${admin ? ' admin' : ''}" data-instance="${escapeHtml(n)}" data-state="${escapeHtml(e.state)}">${escapeHtml(text || e.state)}</td>`;
        })
        .join('');
      return `<tr data-person="${escapeHtml(p.key)}"><th>${who}</th>${cells}</tr>`;
    })
    .join('');
  return `<table><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/**
 * The review as one self-contained HTML page: inline CSS, no script, no external URL, and a
 * Content-Security-Policy that forbids any fetch. Every number sits in a `data-count` element.
 */
export function reviewHtml(review: AccessReview, adminRoles: readonly string[]): string {
  const s = review.summary;
  const stat = (key: keyof typeof s, label: string) =>
    `<div><dt>${escapeHtml(label)}</dt><dd data-count="${key}">${s[key]}</dd></div>`;
  const summary = `<dl class="summary">${[
    stat('instances', 'Instances'),
    stat('people', 'People with access'),
    stat('members', 'Memberships'),
    stat('invited', 'Pending invitations'),
    stat('deactivated', 'Deactivated accounts'),
    stat('admins', 'Admins'),
    ...(review.roster ? [stat('notInRoster', 'Not in the roster')] : []),
    stat('staleInvitations', `Invitations over ${review.staleDays} days`),
  ].join('')}</dl>`;

  const admins = review.instances
    .map(
      (i) =>
        `<h3>${escapeHtml(i.instance)} <small>${escapeHtml(i.type)}: <span data-count="admins-${escapeHtml(i.instance)}">${i.admins.length}</span> of ${i.members} members${i.listed ? '' : '; its connector cannot list members, so nobody is shown'}</small></h3>${entryTable(i.admins)}`,
    )
    .join('');

  const c = review.changes;
  const changes = c
    ? `<p class="meta">Since the snapshot of ${escapeHtml(c.since)}.</p>
<h3>Added <small>(<span data-count="added">${c.added.length}</span>)</small></h3>${entryTable(c.added)}
<h3>Removed <small>(<span data-count="removed">${c.removed.length}</span>)</small></h3>${entryTable(c.removed)}
<h3>Role changes <small>(<span data-count="roleChanged">${c.roleChanged.length}</span>)</small></h3>${entryTable(
        c.roleChanged.map((r) => r.entry),
        {
          head: 'Was',
          cell: (e) => c.roleChanged.find((r) => r.entry === e)?.fromRole ?? '',
        },
      )}
<h3>State changes <small>(<span data-count="stateChanged">${c.stateChanged.length}</span>)</small></h3>${entryTable(
        c.stateChanged.map((r) => r.entry),
        { head: 'Was', cell: (e) => c.stateChanged.find((r) => r.entry === e)?.from ?? '' },
      )}`
    : '<p class="none">No earlier snapshot in this folder: the next review will show what changed since this one.</p>';

  const unknownAge =
    review.invitationsOfUnknownAge > 0
      ? `<p class="meta"><span data-count="invitationsOfUnknownAge">${review.invitationsOfUnknownAge}</span> pending invitations have no date from their service, so their age is unknown.</p>`
      : '';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access review ${escapeHtml(review.takenAt)}</title>
<style>${STYLE}</style></head>
<body>
<h1>Access review</h1>
<p class="meta">Taken at <time data-taken-at datetime="${escapeHtml(review.takenAt)}">${escapeHtml(review.takenAt)}</time>${review.roster ? ` against the roster ${escapeHtml(review.roster)}` : ', without a roster'}; invitations are stale after ${review.staleDays} days.</p>
${summary}
<section id="matrix"><h2>Who has access where</h2>${matrix(review, adminRoles)}</section>
${review.roster ? section('notInRoster', 'Access without a roster entry', review.notInRoster.length, entryTable(review.notInRoster)) : ''}
${section(
  'staleInvitations',
  `Pending invitations older than ${review.staleDays} days`,
  review.staleInvitations.length,
  entryTable(review.staleInvitations, {
    head: 'Age (days)',
    cell: (e) => String(ageInDays(e.since, review.takenAt) ?? ''),
  }) + unknownAge,
)}
<section id="admins"><h2>Admins per instance</h2>${admins}</section>
<section id="changes"><h2>Changes since the previous review</h2>${changes}</section>
</body></html>
`;
}
