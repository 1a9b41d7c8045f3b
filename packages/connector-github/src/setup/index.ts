import {
  AuthenticationError,
  ConfigError,
  type ConnectorSetup,
  describeIssues,
  InvalidInputError,
  registerSecret,
  type SetupContext,
  setupString,
  silentLogger,
} from '@orchester/core';
import { createGitHubClient, type GitHubClient, readPrivateKey } from '../client.js';
import { githubAppSchema } from '../config.js';
import { hasStatus, toConnectorError } from '../errors.js';
import { confirmOrgExists } from '../org-exists.js';

const MANAGE_SCOPE = 'admin:org';
const READ_SCOPES = ['admin:org', 'write:org', 'read:org'];

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

interface TokenReport {
  readonly login: string;
  /** Undefined for fine-grained tokens: GitHub lists scopes for classic tokens only. */
  readonly scopes: readonly string[] | undefined;
  readonly membership: { readonly state: string; readonly role: string } | undefined;
}

async function inspectToken(github: GitHubClient, org: string): Promise<TokenReport> {
  let login: string;
  let scopes: string[] | undefined;
  try {
    const user = await github.request('GET /user');
    login = user.data.login;
    const header = user.headers['x-oauth-scopes'];
    scopes =
      header === undefined
        ? undefined
        : String(header)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  } catch (error) {
    throw toConnectorError(error, 'checking the token');
  }
  try {
    const { data } = await github.request('GET /orgs/{org}/memberships/{username}', {
      org,
      username: login,
    });
    return { login, scopes, membership: { state: data.state, role: data.role } };
  } catch (error) {
    if (!hasStatus(error, 404) && !hasStatus(error, 403))
      throw toConnectorError(error, `checking ${login} in ${org}`);
    await confirmOrgExists(github, org);
    return { login, scopes, membership: undefined };
  }
}

/** What the token still lacks to check, add and remove members. */
function missing(report: TokenReport, org: string): string[] {
  const out: string[] = [];
  if (report.scopes !== undefined && !report.scopes.includes(MANAGE_SCOPE)) {
    const canRead = report.scopes.some((s) => READ_SCOPES.includes(s));
    out.push(
      `the ${MANAGE_SCOPE} scope (${canRead ? 'read:org lets orchester check and list, but not add or remove' : 'without read:org or admin:org it cannot even check'}); edit the token at https://github.com/settings/tokens`,
    );
  }
  if (!report.membership) {
    out.push(
      `membership of ${org}: ${report.login} is not in the organization; an owner must invite ${report.login} and make them an owner`,
    );
  } else if (report.membership.state !== 'active') {
    out.push(`${report.login} has not accepted the invitation to ${org} yet`);
  } else if (report.membership.role !== 'admin') {
    out.push(
      `the owner role in ${org}: ${report.login} is a ${report.membership.role}; an owner can change it at https://github.com/orgs/${org}/people`,
    );
  }
  return out;
}

async function run(context: SetupContext): Promise<void> {
  const raw = context.rawConfig;
  const org = typeof raw.org === 'string' ? raw.org.trim() : '';
  if (!org) {
    throw new ConfigError(
      `connectors.${context.instance}.org: required; set it to the organization's login (github.com/<org>) before running "orchest generate ${context.instance}"`,
    );
  }
  const fromStdin = context.argv.includes('--token-stdin');
  const unknown = context.argv.filter((a) => a !== '--token-stdin');
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `unknown argument ${unknown[0]} for "orchest generate ${context.instance}"; the only option is --token-stdin`,
    );
  }
  if (!fromStdin && raw.app !== undefined && raw.token === undefined) {
    await checkApp(context, org);
    return;
  }
  const token = fromStdin
    ? (await readAll(context.stdin)).trim()
    : setupString(
        context,
        'token',
        `or pipe a token to "orchest generate ${context.instance} --token-stdin"`,
      );
  if (!token) {
    throw fromStdin
      ? new InvalidInputError(
          'no token arrived on standard input; pipe one in, e.g. "orchest generate github --token-stdin < token.txt"',
        )
      : new ConfigError(
          `connectors.${context.instance}.token: required; create a classic token with the admin:org scope at https://github.com/settings/tokens and pipe it to "orchest generate ${context.instance} --token-stdin", or set "token": {"env": "GITHUB_TOKEN"}`,
        );
  }
  if (/\s/.test(token))
    throw new InvalidInputError('the token holds whitespace; give the token alone');
  registerSecret(token);
  const github = await createGitHubClient({
    auth: { token },
    ...(context.baseUrl ? { baseUrl: context.baseUrl } : {}),
    http: context.http,
    logger: context.logger ?? silentLogger,
  });
  let report: TokenReport;
  try {
    report = await inspectToken(github, org);
  } catch (error) {
    if (error instanceof AuthenticationError) {
      throw new AuthenticationError(
        'GitHub refused this token (Bad credentials): it is wrong, expired or revoked; create a new one at https://github.com/settings/tokens',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  context.print(`GitHub login: ${report.login}`);
  context.print(
    `token scopes: ${report.scopes === undefined ? 'not listed (a fine-grained token or an App token); it needs the organization permission "Members: read and write"' : report.scopes.length > 0 ? report.scopes.join(', ') : 'none'}`,
  );
  context.print(
    `role in ${org}: ${report.membership ? `${report.membership.role}${report.membership.state === 'active' ? '' : ` (${report.membership.state})`}` : 'not a member'}`,
  );
  const gaps = missing(report, org);
  if (gaps.length === 0)
    context.print(`ready: this token can check, add and remove members of ${org}`);
  for (const gap of gaps) context.print(`missing: ${gap}`);
  if (fromStdin) {
    const path = await context.saveConfig({ token });
    context.print(`saved the token to ${path} (connectors.${context.instance}.token)`);
  } else {
    context.print('nothing to save: the token stays where it is configured');
  }
}

/**
 * An App has no user and no scopes: exchanging its JWT for an installation token proves the key,
 * and listing pending invitations (which GitHub shows only to those who may manage members)
 * proves the "Members: read and write" permission.
 */
async function checkApp(context: SetupContext, org: string): Promise<void> {
  const parsed = githubAppSchema.safeParse(context.rawConfig.app);
  if (!parsed.success) {
    throw new ConfigError(
      describeIssues(parsed.error, ['connectors', context.instance, 'app']).join('; '),
    );
  }
  const app = parsed.data;
  const github = await createGitHubClient({
    auth: {
      appId: app.app_id,
      privateKey: await readPrivateKey({ org, app }, context.configDir),
      installationId: app.installation_id,
    },
    ...(context.baseUrl ? { baseUrl: context.baseUrl } : {}),
    http: context.http,
    logger: context.logger ?? silentLogger,
  });
  let canManage = true;
  try {
    await github.request('GET /orgs/{org}/invitations', { org, per_page: 1 });
  } catch (error) {
    if (!hasStatus(error, 404))
      throw toConnectorError(error, `checking the App's access to ${org}`);
    await confirmOrgExists(github, org);
    canManage = false;
  }
  context.print(
    `GitHub App ${app.app_id}, installation ${app.installation_id}: the private key works`,
  );
  context.print(
    canManage
      ? `ready: this App can check, add and remove members of ${org}`
      : `missing: the organization permission "Members: read and write" for this App in ${org} (github.com/organizations/${org}/settings/installations)`,
  );
}

/** `orchest generate github`: checks a token and says what it lacks; `--token-stdin` saves one. */
export const githubSetup: ConnectorSetup = {
  summary: 'check a GitHub token (login, scopes, role in the org); --token-stdin saves a new one',
  run,
};
