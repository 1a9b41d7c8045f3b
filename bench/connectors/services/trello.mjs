// Trello: a workspace of `members` accounts; newcomers have accounts and are added by username.
const mail = (name) => `${name}@example.com`;

export default {
  type: 'trello',
  seed(sandbox, state, { members, newcomers }) {
    Object.assign(state.limits, { perToken: 1_000_000, perKey: 1_000_000 });
    const org = state.organizations.find((o) => o.name === 'acme');
    const existing = Array.from({ length: members }, (_, i) => `member${i}`);
    const fresh = Array.from({ length: newcomers }, (_, i) => `newcomer${i}`);
    for (const username of [...existing, ...fresh]) {
      const account = {
        id: sandbox.nextId(state),
        username,
        fullName: username,
        email: mail(username),
        confirmed: true,
        memberType: 'normal',
      };
      state.accounts.push(account);
      if (username.startsWith('member')) {
        org.memberships.push({
          id: sandbox.nextId(state),
          idMember: account.id,
          memberType: 'normal',
          unconfirmed: false,
          deactivated: false,
        });
      }
    }
    return { existing, newcomers: fresh };
  },
};
