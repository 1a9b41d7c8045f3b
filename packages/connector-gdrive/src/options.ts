// `@orchester/connector-gdrive/options`: the options schema alone, for `orchest add --help`.
export { gdriveOptionsSchema as default } from './config.js';
