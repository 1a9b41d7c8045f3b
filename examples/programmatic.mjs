import { openOrchester } from '@orchester/runtime';

// Reads .orchester.json as the CLI does (or pass { config: 'path/to/file' }).
const orchester = openOrchester();
try {
  const { state, role } = await orchester.check('github', 'octocat');
  console.log(`octocat is ${state}${role ? ` (${role})` : ''}`);

  const { outcome } = await orchester.add('github', 'hubot', { role: 'member' });
  console.log(`hubot: ${outcome}`);

  for await (const member of orchester.list('github')) {
    console.log(`${member.identifier}\t${member.state}\t${member.role ?? ''}`);
  }
} finally {
  await orchester.close();
}
