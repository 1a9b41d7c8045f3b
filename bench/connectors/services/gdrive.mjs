// Google Drive: a folder shared with `members` people; newcomers are granted access by e-mail.
const mail = (name) => `${name}@example.com`;

export default {
  type: 'gdrive',
  seed(sandbox, state, { members, newcomers }) {
    const folder = state.items.get('folder-empty');
    const existing = Array.from({ length: members }, (_, i) => mail(`member${i}`));
    for (const email of existing) {
      folder.permissions.push({
        id: sandbox.permissionIdFor(email),
        type: 'user',
        role: 'reader',
        emailAddress: email,
      });
    }
    return {
      existing,
      newcomers: Array.from({ length: newcomers }, (_, i) => mail(`newcomer${i}`)),
    };
  },
};
