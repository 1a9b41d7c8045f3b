import type { EmulatorDefinition, RunningEmulator, StartEmulatorOptions } from './emulator.js';
import type { FaultSpec } from './faults.js';

/** What a connector's `./sandbox` entry default-exports: a value made by `defineEmulator`. */
export type EmulatorModule = EmulatorDefinition<unknown> & {
  start(options?: StartEmulatorOptions<unknown>): Promise<RunningEmulator<unknown>>;
};

export function isEmulatorModule(value: unknown): value is EmulatorModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { start?: unknown }).start === 'function' &&
    typeof (value as { configFor?: unknown }).configFor === 'function'
  );
}

export interface StartedSandbox {
  readonly emulators: ReadonlyArray<RunningEmulator<unknown>>;
  /** A config that points one instance per emulator at it, named by connector type. */
  readonly config: Record<string, unknown>;
  /** Connector packages that ship no `./sandbox`, with the reason. */
  readonly skipped: ReadonlyArray<{ readonly packageName: string; readonly reason: string }>;
  close(): Promise<void>;
}

/** A connector package whose emulator to start, as the host's discovery found it. */
export interface SandboxPackage {
  readonly type: string;
  readonly packageName: string;
}

/**
 * Starts the emulator of every given connector package on 127.0.0.1. `load` imports a package's
 * `./sandbox` entry (the host's discovery knows where packages live).
 */
export async function startSandbox<P extends SandboxPackage>(options: {
  readonly packages: readonly P[];
  load(pkg: P, entry: './sandbox'): Promise<unknown>;
  readonly seed?: string;
  readonly faults?: FaultSpec | string;
}): Promise<StartedSandbox> {
  const emulators: RunningEmulator<unknown>[] = [];
  const skipped: Array<{ packageName: string; reason: string }> = [];
  const connectors: Record<string, unknown> = {};
  try {
    for (const pkg of options.packages) {
      let mod: { default?: unknown };
      try {
        mod = (await options.load(pkg, './sandbox')) as { default?: unknown };
      } catch (error) {
        skipped.push({ packageName: pkg.packageName, reason: (error as Error).message });
        continue;
      }
      if (!isEmulatorModule(mod.default)) {
        skipped.push({
          packageName: pkg.packageName,
          reason: './sandbox does not default-export an emulator',
        });
        continue;
      }
      const running = await mod.default.start({
        ...(options.seed ? { seed: options.seed } : {}),
        ...(options.faults ? { faults: options.faults } : {}),
      });
      emulators.push(running);
      // An emulator may serve its API below a path of its own (`/api/v4`): its block says so.
      const block = running.configBlock();
      connectors[pkg.type] = { type: pkg.type, ...block, base_url: block.base_url ?? running.url };
    }
  } catch (error) {
    await Promise.allSettled(emulators.map((e) => e.close()));
    throw error;
  }
  const types = Object.keys(connectors);
  return {
    emulators,
    skipped,
    config: { ...(types[0] ? { default_connector: types[0] } : {}), connectors },
    close: async () => {
      await Promise.allSettled(emulators.map((e) => e.close()));
    },
  };
}
