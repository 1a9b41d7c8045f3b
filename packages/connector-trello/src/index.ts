import { trelloConnector } from './connector.js';

export {
  TRELLO_API,
  TrelloClient,
  type TrelloClientOptions,
  type TrelloRequest,
} from './client.js';
export {
  TRELLO_LIMITS,
  type TrelloConfig,
  trelloConfigSchema,
  trelloIdentifierSchema,
  trelloOptionsSchema,
} from './config.js';
export { TRELLO_JOB_LIMITS, trelloConnector } from './connector.js';
export {
  errorForFailure,
  type TrelloFailure,
  type TrelloSubject,
} from './errors.js';
export { type AuthorizeUrlOptions, authorizeUrl } from './setup/authorize-url.js';
export { trelloSetup } from './setup/run-setup.js';
export { type TrelloMember, type TrelloMembership, TrelloWorkspace } from './workspace.js';

export default trelloConnector;
