// `./options`: the options schema alone (zod only), so `orchest add --help` and completion read
// it without loading the connector.
export { optionsSchema as default } from './config.js';
