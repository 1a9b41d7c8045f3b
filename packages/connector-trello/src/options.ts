// `@orchester/connector-trello/options`: the options schema alone, for `orchest add --help`.
export { trelloOptionsSchema as default } from './config.js';
