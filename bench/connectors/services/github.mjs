// GitHub: an organization of `members` logins. By login, newcomers have accounts and are added
// by login. By e-mail, the organization also has as many pending e-mail invitations as members,
// and newcomers are addresses with no account, invited by e-mail (onboarding by e-mail).
const mail = (name) => `${name}@example.com`;

function organization(sandbox, state, members) {
  Object.assign(state.limits, {
    primaryPerHour: 1_000_000,
    writesPerMinute: 1_000_000,
    writesPerHour: 1_000_000,
    pointsPerMinute: 1_000_000,
    invitationCap: 1_000_000,
  });
  const acme = state.orgs.acme;
  const existing = Array.from({ length: members }, (_, i) => `member${i}`);
  for (const login of existing) {
    sandbox.addUser(state, login, { email: mail(login) });
    acme.members[login] = 'member';
  }
  return { acme, existing };
}

export default [
  {
    type: 'github',
    seed(sandbox, state, { members, newcomers }) {
      const { existing } = organization(sandbox, state, members);
      const fresh = Array.from({ length: newcomers }, (_, i) => `newcomer${i}`);
      for (const login of fresh) sandbox.addUser(state, login, { email: mail(login) });
      return { existing, newcomers: fresh };
    },
  },
  {
    type: 'github',
    name: 'github by e-mail',
    seed(sandbox, state, { members, newcomers }) {
      const { acme, existing } = organization(sandbox, state, members);
      const createdAt = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      for (let i = 0; i < members; i++) {
        acme.invitations.push({
          id: state.nextId++,
          login: null,
          email: mail(`invitee${i}`),
          role: 'direct_member',
          createdAt,
          inviter: acme.members.alice ? 'alice' : existing[0],
        });
      }
      const fresh = Array.from({ length: newcomers }, (_, i) => mail(`newcomer${i}`));
      return { existing, newcomers: fresh };
    },
  },
];
