import type {
  AnyConnector,
  ConnectorInstance,
  ConnectorLimits,
  IdentityMap,
  IdentityStore,
  ServiceCall,
} from '@orchester/core';
import {
  type Clock,
  ConfigError,
  ConnectorNotFoundError,
  createServiceHttp,
  describeIssues,
  type Logger,
  quote,
  registerSecretPattern,
  silentLogger,
  systemClock,
} from '@orchester/core';
import type { InstanceConfig, OrchesterConfig } from './config/load.js';
import { resolveSecrets } from './config/secrets.js';
import type { ConnectorPackage } from './discovery/find-connectors.js';
import { loadConnector } from './discovery/load-connector.js';
import type { InstanceResolver } from './run-membership-job.js';

export interface ConnectorRegistryOptions {
  readonly packages: readonly ConnectorPackage[];
  readonly config: OrchesterConfig;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Told of every service call any instance makes (metrics, call budgets). */
  readonly onServiceCall?: (instance: string, call: ServiceCall) => void;
  /** Connectors given directly (tests, embedding), by type; they win over packages. */
  readonly connectors?: readonly AnyConnector[];
  /** Where each instance's e-mail -> service id map lives (`ConnectorContext.identities`). */
  readonly identities?: IdentityStore;
}

/** The connectors orchester publishes; a name outside them gets no install advice. */
const FIRST_PARTY_TYPES: readonly string[] = ['github', 'slack', 'trello', 'gdrive'];

function installHint(type: string): string {
  return `npm i @orchester/connector-${type}`;
}

/**
 * The installed connectors and the configured instances. Modules are imported only when an
 * instance is used; instances are created once and closed together.
 */
export class ConnectorRegistry implements InstanceResolver {
  private readonly loaded = new Map<string, Promise<AnyConnector>>();
  private readonly live = new Map<string, Promise<ConnectorInstance>>();
  private readonly controller = new AbortController();

  constructor(private readonly options: ConnectorRegistryOptions) {
    options.signal?.addEventListener('abort', () => this.controller.abort(options.signal?.reason), {
      once: true,
    });
  }

  get config(): OrchesterConfig {
    return this.options.config;
  }

  /** Installed connector packages, sorted by type. */
  packages(): readonly ConnectorPackage[] {
    return this.options.packages;
  }

  /** Every connector type orchester can use: installed packages and directly given connectors. */
  installedTypes(): string[] {
    const types = new Set(this.options.packages.map((p) => p.type));
    for (const c of this.options.connectors ?? []) types.add(c.id);
    return [...types].sort();
  }

  private notInstalled(type: string, asked: string): ConnectorNotFoundError {
    const installed = this.installedTypes();
    return new ConnectorNotFoundError(
      `no connector "${type}" is installed${asked !== type ? ` (for instance "${asked}")` : ''}; installed: ${installed.length > 0 ? installed.join(', ') : 'none'}. Install it with: ${installHint(type)}`,
      { details: { type, installed, install: installHint(type) } },
    );
  }

  /** The connector of a type, imported on first use. */
  loadType(type: string, askedFor = type): Promise<AnyConnector> {
    let pending = this.loaded.get(type);
    if (!pending) {
      const direct = this.options.connectors?.find((c) => c.id === type);
      const pkg = this.options.packages.find((p) => p.type === type);
      pending = (
        direct
          ? Promise.resolve(direct)
          : pkg
            ? loadConnector(pkg)
            : Promise.reject(this.notInstalled(type, askedFor))
      ).then((connector) => {
        // From here on its service's token shapes are redacted wherever orchester writes.
        for (const pattern of connector.secretPatterns ?? []) registerSecretPattern(pattern);
        return connector;
      });
      this.loaded.set(type, pending);
    }
    return pending;
  }

  /**
   * The instance `-c` names: an instance name, or a bare type when exactly one instance has it.
   * Without a name, `default_connector`, else the only configured instance.
   */
  selectInstance(name: string | undefined): InstanceConfig {
    const { config } = this.options;
    const where = config.file ?? 'no config file found';
    const configured = [...config.instances.values()];
    const asked = name ?? config.defaultConnector;
    if (!asked) {
      if (configured.length === 1) return configured[0]!;
      throw new ConfigError(
        configured.length === 0
          ? `no connector is configured (${config.file ? `in ${config.file}` : `looked for ${config.searched.join(', ')}`}); add a "connectors" block, or run "orchest sandbox --write-config .orchester.json" to try orchester locally`
          : `several instances are configured (${configured.map((c) => c.name).join(', ')}); pick one with -c NAME or set "default_connector" in ${where}`,
      );
    }
    const exact = config.instances.get(asked);
    if (exact) return exact;
    const ofType = configured.filter((c) => c.type === asked);
    if (ofType.length === 1) return ofType[0]!;
    if (ofType.length > 1) {
      throw new ConfigError(
        `"${asked}" is a connector type with several instances (${ofType.map((c) => c.name).join(', ')}); name one with -c`,
      );
    }
    const known = configured.map((c) => c.name);
    const plain = /^[a-z][a-z0-9-]{0,62}$/.test(asked);
    // One of orchester's own connector types, not installed either: say how to get it.
    const install =
      FIRST_PARTY_TYPES.includes(asked) && !this.installedTypes().includes(asked)
        ? ` No connector "${asked}" is installed either (installed: ${this.installedTypes().join(', ') || 'none'}); to use it: ${installHint(asked)}.`
        : '';
    throw new ConfigError(
      `no instance ${quote(asked, 64)} is configured${known.length > 0 ? `; configured: ${known.join(', ')}` : ` (${where})`}. Pick one of them with -c, or add ${plain ? `"connectors": {"${asked}": {"type": "...", ...}}` : 'it under "connectors"'} to ${where}.${install}`,
      { details: { instance: quote(asked, 64).slice(1, -1), configured: known } },
    );
  }

  private instanceConfig(name: string): InstanceConfig {
    const found = this.options.config.instances.get(name);
    if (!found) return this.selectInstance(name);
    return found;
  }

  connectorOf(instance: string): Promise<AnyConnector> {
    const cfg = this.instanceConfig(instance);
    return this.loadType(cfg.type, cfg.name);
  }

  /** The instance's block, secrets resolved, validated by its connector. */
  async validatedConfig(
    instance: string,
  ): Promise<{ connector: AnyConnector; config: unknown; instance: InstanceConfig }> {
    const cfg = this.instanceConfig(instance);
    const connector = await this.loadType(cfg.type, cfg.name);
    const file = this.options.config.file ?? 'config';
    const { value } = resolveSecrets(
      { ...cfg.block },
      { file, path: cfg.path },
      this.options.env ?? process.env,
      connector.secretFields ?? [],
    );
    const parsed = connector.configSchema.safeParse(value);
    if (!parsed.success) {
      throw new ConfigError(`${file}: ${describeIssues(parsed.error, [cfg.path]).join('; ')}`, {
        details: { instance: cfg.name, type: cfg.type },
      });
    }
    return { connector, config: parsed.data, instance: cfg };
  }

  /** The live instance, created once. */
  instance(name: string): Promise<ConnectorInstance> {
    const cfg = this.instanceConfig(name);
    let pending = this.live.get(cfg.name);
    if (!pending) {
      pending = (async () => {
        const { connector, config } = await this.validatedConfig(cfg.name);
        const logger = this.options.logger ?? silentLogger;
        const clock = this.options.clock ?? systemClock;
        const recordCall = (call: ServiceCall) => this.options.onServiceCall?.(cfg.name, call);
        return connector.create({
          instance: cfg.name,
          config,
          logger: logger.child?.({ instance: cfg.name, connector: cfg.type }) ?? logger,
          signal: this.controller.signal,
          clock,
          ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}),
          configDir: this.options.config.dir,
          recordCall,
          http: createServiceHttp({ signal: this.controller.signal, clock, recordCall }),
          ...(this.options.identities
            ? { identities: this.options.identities.forInstance(cfg.name) }
            : {}),
        });
      })();
      pending.catch(() => this.live.delete(cfg.name));
      this.live.set(cfg.name, pending);
    }
    return pending;
  }

  /** The e-mail -> service id map of an instance, when this host keeps identities. */
  identitiesOf(instance: string): IdentityMap | undefined {
    return this.options.identities?.forInstance(this.instanceConfig(instance).name);
  }

  /** Concurrency and rate for an instance: config's `limits`, else the connector's own. */
  async limitsFor(name: string): Promise<ConnectorLimits> {
    const cfg = this.instanceConfig(name);
    const connector = await this.loadType(cfg.type, cfg.name);
    let own = connector.limits;
    if (connector.limitsFor) {
      // A config that does not validate fails its jobs anyway; the default limits do until then.
      own = await this.validatedConfig(cfg.name).then(
        ({ config }) => connector.limitsFor?.(config) ?? connector.limits,
        () => connector.limits,
      );
    }
    const rate = cfg.limits?.rate ?? own.rate;
    return {
      concurrency: cfg.limits?.concurrency ?? own.concurrency,
      ...(rate ? { rate } : {}),
    };
  }

  /** Closes every live instance; aborts their in-flight calls first when `abort` is set. */
  async close(options: { abort?: boolean } = {}): Promise<void> {
    if (options.abort) this.controller.abort(new Error('orchester is shutting down'));
    const instances = await Promise.allSettled(this.live.values());
    this.live.clear();
    await Promise.allSettled(
      instances.map((r) => (r.status === 'fulfilled' ? r.value.close?.() : undefined)),
    );
  }
}
