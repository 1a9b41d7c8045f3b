import { connector } from './connector.js';

export { type Config, configSchema, identifierSchema, ROLES } from './config.js';
export { connector };
export default connector;
