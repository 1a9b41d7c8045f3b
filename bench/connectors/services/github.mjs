// GitHub: an organization of `members` logins; newcomers have accounts and are added by login.
const mail = (name) => `${name}@example.com`;

export default {
  type: 'github',
  seed(sandbox, state, { members, newcomers }) {
    Object.assign(state.limits, {
      primaryPerHour: 1_000_000,
      writesPerMinute: 1_000_000,
      invitationCap: 1_000_000,
    });
    const acme = state.orgs.acme;
    const existing = Array.from({ length: members }, (_, i) => `member${i}`);
    const fresh = Array.from({ length: newcomers }, (_, i) => `newcomer${i}`);
    for (const login of [...existing, ...fresh])
      sandbox.addUser(state, login, { email: mail(login) });
    for (const login of existing) acme.members[login] = 'member';
    return { existing, newcomers: fresh };
  },
};
