// Slack (Enterprise Grid admin mode): a workspace of `members` people; newcomers are invited by e-mail.
const mail = (name) => `${name}@example.com`;

export default {
  type: 'slack',
  seed(_sandbox, state, { members, newcomers }) {
    Object.assign(state.limits, { tier2: 100_000, tier3: 100_000, tier4: 100_000 });
    const existing = Array.from({ length: members }, (_, i) => mail(`member${i}`));
    for (const email of existing) {
      state.users.push({
        id: `U2${String(state.nextId++).padStart(8, '0')}`,
        name: email.split('@')[0],
        realName: email.split('@')[0],
        email,
        deleted: false,
        invited: false,
        isBot: false,
        isAdmin: false,
        isOwner: false,
        isPrimaryOwner: false,
        updated: 1_767_225_600,
      });
    }
    return {
      existing,
      newcomers: Array.from({ length: newcomers }, (_, i) => mail(`newcomer${i}`)),
    };
  },
};
