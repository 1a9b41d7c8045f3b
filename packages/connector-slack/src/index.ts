import { slack } from './connector.js';

export {
  modeOf,
  SLACK_MODES,
  type SlackConfig,
  type SlackMode,
  slackConfigSchema,
} from './config.js';
export { slack } from './connector.js';
export { slackIdentifierSchema } from './identifier.js';
export { SLACK_MODE_LIMITS } from './limits.js';
export default slack;
