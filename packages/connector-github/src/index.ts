import { githubConnector } from './connector.js';

export { type GitHubConfig, githubConfigSchema } from './config.js';
export { githubConnector } from './connector.js';
export { GITHUB_IDENTIFIER_HINT, GITHUB_LOGIN, githubIdentifierSchema } from './identifier.js';

export default githubConnector;
