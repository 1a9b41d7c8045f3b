import type { z } from 'zod';
import type { Clock } from './clock.js';
import type { IdentityMap } from './identities/identity-map.js';
import type { ServiceHttp } from './kit/service-http.js';
import type { Logger } from './logger.js';
import type {
  ChangeResult,
  CheckResult,
  MemberRecord,
  MembershipAction,
  MembershipOutcome,
} from './membership.js';

/**
 * The contract version this core offers. Connectors declare a semver range of it.
 * 1.1: `add` and `remove` get a `ChangeAttempt` to send their writes through.
 * 1.2: the context may carry `identities`, a durable map of e-mail to the service's id;
 *      capabilities say `hidesEmails`; `change()` takes `options.changed`; connectors declare
 *      `secretPatterns`.
 * 1.3: the context carries `http`, the kit's HTTP helper; instances may have `verify()`; the
 *      setup context carries the resolved `config`, `env` and `http`. Capabilities may declare
 *      `groups` (teams, channels): `list()` then takes `ListOptions` naming the groups to read
 *      and `MemberRecord.groups` answers them, and `add` takes the groups to join and to leave
 *      in the options `groups` names (`groups.invitationRole`: the one role an e-mail
 *      invitation gives in them, so plans promise no other). Hosts and connectors that do
 *      not know of groups keep working: nothing asks for them, nothing answers them.
 * Minor versions only add: a connector asking for ^1.2.0 loads in a host offering 1.3.0.
 * The @orchester/core package's version is the contract version: a connector's peer range on
 * core and its `orchester.contract` range say the same.
 */
export const CONTRACT_VERSION = '1.3.0';

/** Marks values made by `defineConnector`; `Symbol.for` so two copies of core agree. */
export const CONNECTOR_TAG: unique symbol = Symbol.for('orchester.connector') as never;

/** Options of `add` and `remove`, after the connector's `optionsSchema` accepted them. */
export interface MembershipOptions {
  /** Role on the service (`member`/`admin`, `reader`/`writer`...). */
  readonly role?: string;
  /** The person's display name, for services that ask for one on invitation. */
  readonly fullName?: string;
  readonly [key: string]: unknown;
}

/** One call made to a service, reported by a connector for metrics and call budgets. */
export interface ServiceCall {
  readonly method: string;
  /** The route template, not the URL: it must not carry identifiers or secrets. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
}

/** A rate: at most `max` per `durationMs`. */
export interface Rate {
  readonly max: number;
  readonly durationMs: number;
}

/** How hard orchester may drive one instance of a connector; config can lower or raise it. */
export interface ConnectorLimits {
  /** Jobs in flight at once. */
  readonly concurrency: number;
  /** Jobs started per window, set below the service's published limit. */
  readonly rate?: Rate;
}

/**
 * Since contract 1.3: groups inside the service that plans manage like roles (GitHub teams,
 * Slack channels). `add` joins the groups its `joinOption` lists (entries `name` or
 * `name:role`, the role one of `roles`) and leaves those its `leaveOption` lists; `list` reads
 * the groups `ListOptions.groups` names.
 */
export interface GroupCapability {
  /** What one group is called, for people: `team`, `channel`. */
  readonly noun: string;
  /** The `add` option (and roster key) listing groups to join: `teams`, `channels`. */
  readonly joinOption: string;
  /** The `add` option listing groups to leave: `leaveTeams`, `leaveChannels`. */
  readonly leaveOption: string;
  /** Roles inside a group (`member`, `maintainer`), the default first; absent when groups have none. */
  readonly roles?: readonly string[];
  /**
   * The only role an invitation by e-mail gives in its groups, when the service lets an
   * invitation carry groups but not roles in them (GitHub's `team_ids`: `member`). Plans then
   * show another role asked for an e-mail invitee as coming after they accept. Absent: an
   * e-mail add gives the roles asked for.
   */
  readonly invitationRole?: string;
}

/** Since contract 1.3: what a snapshot asks `list()` for besides members. */
export interface ListOptions {
  /** Groups (of `capabilities.groups`) whose membership each record's `groups` should carry. */
  readonly groups?: readonly string[];
}

export interface ConnectorCapabilities {
  readonly actions: readonly MembershipAction[];
  /** Roles `add` accepts; the first is the default unless `defaultRole` says otherwise. */
  readonly roles: readonly string[];
  readonly defaultRole?: string;
  /** Whether the instance has `list()` for snapshots. */
  readonly list: boolean;
  /**
   * Writes to one target must not overlap: the service applies only the last of concurrent
   * changes (Google Drive permissions). Runners then serialize `add`/`remove` per instance.
   */
  readonly serialWrites: boolean;
  /**
   * Since contract 1.2: the service never shows people's e-mail addresses (Trello), so an e-mail
   * identifies only someone orchester invited and recorded in `ConnectorContext.identities`.
   */
  readonly hidesEmails?: boolean;
  /** Since contract 1.3: groups inside the service that plans manage (teams, channels). */
  readonly groups?: GroupCapability;
}

/** What a connector gets from orchester. A plain object: connectors never see the DI container. */
export interface ConnectorContext<Config> {
  /** The instance name from config (`github-corp`). */
  readonly instance: string;
  /** The instance's config block, validated by `configSchema`, secrets resolved. */
  readonly config: Config;
  readonly logger: Logger;
  /** Aborts when orchester shuts down; pass it to every request. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Overrides the service's base URL (the sandbox emulator, or GitHub Enterprise Server). */
  readonly baseUrl?: string;
  /** Folder of the config file, for resolving relative paths such as `credential_path`. */
  readonly configDir: string;
  /** Called once per HTTP request the connector makes (`http` calls it for you). */
  recordCall(call: ServiceCall): void;
  /**
   * Since contract 1.3: the kit's HTTP helper, joined to `signal` and reporting to `recordCall`.
   * Give it the service's settings with `http.with({ service, baseUrl, timeoutMs, routes })`.
   */
  readonly http: ServiceHttp;
  /**
   * Since contract 1.2: this instance's durable map of e-mail to the service's id, for services
   * that never show other people's e-mail addresses. Kept in Redis when orchester runs with a
   * queue, else in an owner-only file; absent when the host keeps none (a connector must cope).
   */
  readonly identities?: IdentityMap;
}

/**
 * The attempt of an `add` or `remove` that is running, as its connector sees it. A connector
 * sends each write that changes someone's membership through `change`, so that orchester can
 * tell a change it made from one that was there before, even when the service's answer is lost.
 */
export interface ChangeAttempt {
  /**
   * Sends one write to the service. `outcome` names what it does when it lands (`invited`,
   * `removed`, `invitation-cancelled`...). orchester notes the change before `send` runs; when no
   * answer comes back (a dropped connection, a timeout, a 5xx, a worker that died), a later
   * attempt that finds the change in place reports `outcome`, not `already-*` or `not-member`.
   *
   * `send` should throw orchester's errors: a refusal (a permission, conflict, not-found or
   * rate-limit error) means the change did not happen; a `TransientError`, a `CancelledError`
   * or any other error means it may have. A write whose answer says it changed nothing (the
   * person was already there, or already gone) tells so with `options.changed`.
   */
  change<T>(
    outcome: MembershipOutcome,
    send: () => Promise<T>,
    options?: ChangeOptions<T>,
  ): Promise<T>;
}

export interface ChangeOptions<T> {
  /**
   * Reads the service's answer: false when it says the write changed nothing, e.g. an
   * invitation answered "already invited". Defaults to true for every answer.
   */
  changed?(answer: T): boolean;
}

/** A live connection to one configured instance of a service. */
export interface ConnectorInstance<Identifier extends string = string> {
  check(identifier: Identifier): Promise<CheckResult>;
  add(
    identifier: Identifier,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult>;
  remove(
    identifier: Identifier,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult>;
  /**
   * Since contract 1.3: proves the credentials work with one cheap read, throwing the
   * orchester error the service's answer means (`AuthenticationError`, `PermissionError`...).
   * `orchest connectors` calls an instance "usable" only when this passes.
   */
  verify?(): Promise<void>;
  /**
   * Every current member and pending invitation, page by page. Since contract 1.3, `options`
   * may name groups whose membership the records carry (only with `capabilities.groups`).
   */
  list?(options?: ListOptions): AsyncIterable<MemberRecord>;
  close?(): Promise<void>;
}

/** What `orchest generate <instance>` hands to a connector's credential flow. */
export interface SetupContext {
  readonly instance: string;
  /** The instance's block as written in the file (may be incomplete: that is why setup runs). */
  readonly rawConfig: Readonly<Record<string, unknown>>;
  /**
   * Since contract 1.3: the same block with `{ env: NAME }` values resolved from `env` (a
   * variable that is not set leaves its key out), not validated.
   */
  readonly config: Readonly<Record<string, unknown>>;
  /** Since contract 1.3: the environment the command runs in. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Since contract 1.3: the kit's HTTP helper, as connectors get it. */
  readonly http: ServiceHttp;
  /** Arguments after `orchest generate NAME`. */
  readonly argv: readonly string[];
  readonly baseUrl?: string;
  /** The config file that `saveConfig` writes; undefined when none exists yet. */
  readonly configPath: string | undefined;
  readonly configDir: string;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stdin: NodeJS.ReadableStream;
  /** A line for the person running the command (stdout). Never pass a secret. */
  print(line: string): void;
  /** Merges `values` into this instance's block of the config file, written owner-only. */
  saveConfig(values: Record<string, unknown>): Promise<string>;
  /** Opens `url` in a browser when one exists; answers whether it did. */
  openUrl(url: string): Promise<boolean>;
}

export interface ConnectorSetup {
  /** One line for `orchest generate --help`. */
  readonly summary: string;
  /** Runs the flow; throws OrchesterErrors for failures (category `input` for the person's mistakes). */
  run(context: SetupContext): Promise<void>;
}

/** What a connector author passes to `defineConnector`. */
export interface ConnectorSpec<
  ConfigSchema extends z.ZodType,
  IdentifierSchema extends z.ZodType<string, string>,
> {
  /** Lower-case letters, digits and dashes: `github`, `slack`. */
  readonly id: string;
  readonly displayName: string;
  /** Validates the instance's config block after `{ env }` secrets are resolved. */
  readonly configSchema: ConfigSchema;
  /** Validates and normalizes an identifier (e.g. lower-cases an e-mail). */
  readonly identifierSchema: IdentifierSchema;
  /** Shown when an identifier is refused: "a GitHub login or an e-mail address". */
  readonly identifierHint: string;
  /**
   * Validates `add`/`remove` options; defaults to `{ role?, fullName? }` with `role` checked
   * against `capabilities.roles`. Each option may say what it is with
   * `.meta({ description, actions: ['add'] })`; the CLI turns options into flags
   * (`--teams a,b`) and lists them in help. Export the same schema at the package's `./options`
   * entry so help can read it without loading the connector.
   */
  readonly optionsSchema?: z.ZodType<MembershipOptions>;
  /** Config keys holding secrets beyond the standard ones (`token`, `client_secret`...). */
  readonly secretFields?: readonly string[];
  /**
   * The shapes of this service's credentials (`/\bghp_[A-Za-z0-9]{20,}\b/g`): redacted from
   * everything orchester prints, logs or stores once the connector is loaded, even a token
   * config never named.
   */
  readonly secretPatterns?: readonly RegExp[];
  readonly capabilities: ConnectorCapabilities;
  readonly limits: ConnectorLimits;
  /**
   * Limits that depend on the instance's config (e.g. Slack's admin and SCIM doors have different
   * published limits); `limits` stays the default when the config cannot be read.
   */
  limitsFor?(config: z.output<ConfigSchema>): ConnectorLimits;
  readonly setup?: ConnectorSetup;
  create(
    context: ConnectorContext<z.output<ConfigSchema>>,
  ):
    | ConnectorInstance<z.output<IdentifierSchema>>
    | Promise<ConnectorInstance<z.output<IdentifierSchema>>>;
}

/** The frozen, tagged value a connector package default-exports. */
export type Connector<
  ConfigSchema extends z.ZodType = z.ZodType,
  IdentifierSchema extends z.ZodType<string, string> = z.ZodType<string, string>,
> = ConnectorSpec<ConfigSchema, IdentifierSchema> & {
  readonly [CONNECTOR_TAG]: true;
  readonly contract: string;
};

/** A connector of any config and identifier type, as registries hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds connectors of every config type
export type AnyConnector = Connector<any, any>;

const CONNECTOR_ID = /^[a-z][a-z0-9-]{0,38}$/;

/** Defines a connector: checks the spec, tags it with the contract version and freezes it. */
export function defineConnector<
  ConfigSchema extends z.ZodType,
  IdentifierSchema extends z.ZodType<string, string>,
>(spec: ConnectorSpec<ConfigSchema, IdentifierSchema>): Connector<ConfigSchema, IdentifierSchema> {
  if (!CONNECTOR_ID.test(spec.id)) {
    throw new TypeError(
      `connector id "${spec.id}" must be lower-case letters, digits and dashes, starting with a letter`,
    );
  }
  if (spec.capabilities.roles.length === 0 && spec.capabilities.actions.includes('add')) {
    throw new TypeError(`connector "${spec.id}" can add people but names no role`);
  }
  const groups = spec.capabilities.groups;
  if (groups && (!spec.capabilities.list || groups.joinOption === groups.leaveOption)) {
    throw new TypeError(
      `connector "${spec.id}" declares groups but ${spec.capabilities.list ? 'joins and leaves them with the same option' : 'cannot list, so plans could never read them'}`,
    );
  }
  if (groups?.invitationRole !== undefined && !groups.roles?.includes(groups.invitationRole)) {
    throw new TypeError(
      `connector "${spec.id}" declares groups.invitationRole "${groups.invitationRole}", which is not one of groups.roles`,
    );
  }
  if (!(spec.limits.concurrency >= 1)) {
    throw new TypeError(`connector "${spec.id}" limits.concurrency must be at least 1`);
  }
  return Object.freeze({
    ...spec,
    capabilities: Object.freeze({
      ...spec.capabilities,
      ...(groups ? { groups: Object.freeze({ ...groups }) } : {}),
    }),
    limits: Object.freeze({ ...spec.limits }),
    [CONNECTOR_TAG]: true as const,
    contract: CONTRACT_VERSION,
  });
}

/** True for a value made by `defineConnector` (from any copy of core). */
export function isConnector(value: unknown): value is AnyConnector {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[CONNECTOR_TAG] === true &&
    typeof (value as { contract?: unknown }).contract === 'string'
  );
}

/** The role `add` uses when none is asked for. */
export function defaultRoleOf(connector: AnyConnector): string | undefined {
  return connector.capabilities.defaultRole ?? connector.capabilities.roles[0];
}
