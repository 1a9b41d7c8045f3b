import { toOrchesterError } from '@orchester/core';
import type { CommandContext } from '../command-context.js';

/** Roles of one connector type, or why they cannot be read. */
async function rolesOf(context: CommandContext, type: string): Promise<string> {
  try {
    const connector = await context.registry().loadType(type);
    return connector.capabilities.roles.join(', ') || '(no roles)';
  } catch (error) {
    return `(cannot load the connector: ${toOrchesterError(error).message})`;
  }
}

/**
 * `onboard --help`'s table of the roles `--role` takes: each configured instance, then each
 * installed connector no instance uses. Connectors are loaded for it, so it lives here and not
 * in the plain help text.
 */
export async function describeRoles(context: CommandContext): Promise<string[]> {
  let instances: Array<{ name: string; type: string }>;
  let installed: string[];
  try {
    const registry = context.registry();
    instances = [...registry.config.instances.values()]
      .map((c) => ({ name: c.name, type: c.type }))
      .sort((a, b) => a.name.localeCompare(b.name));
    installed = registry.installedTypes();
  } catch (error) {
    return ['', `Roles: cannot read the config: ${toOrchesterError(error).message}`];
  }
  const lines = ['', 'Roles by instance (--role):'];
  if (instances.length === 0) lines.push('  (no instance is configured)');
  const nameWidth = Math.max(...instances.map((i) => i.name.length));
  const typeWidth = Math.max(...instances.map((i) => i.type.length));
  for (const i of instances) {
    lines.push(
      `  ${i.name.padEnd(nameWidth)}  ${i.type.padEnd(typeWidth)}  ${await rolesOf(context, i.type)}`,
    );
  }
  const unused = installed.filter((t) => !instances.some((i) => i.type === t));
  if (unused.length > 0) {
    lines.push('Installed connectors no instance uses:');
    const width = Math.max(...unused.map((t) => t.length));
    for (const type of unused)
      lines.push(`  ${type.padEnd(width)}  ${await rolesOf(context, type)}`);
  }
  return lines;
}
