import type { MembershipAction } from '@orchester/core';
import { z } from 'zod';

export type WriteAction = Exclude<MembershipAction, 'check'>;

/** How a connector option is written on the command line and in a CSV cell. */
export type OptionKind = 'boolean' | 'string' | 'number' | 'list';

/** One option a connector's `optionsSchema` accepts, as a flag sees it. */
export interface ConnectorOption {
  readonly name: string;
  readonly kind: OptionKind;
  /** The values it takes (an enum), for help and completion. */
  readonly choices?: readonly string[];
  /** The JSON Schema format of a string (`date-time`). */
  readonly format?: string;
  readonly description?: string;
  /** The actions that take it: the schema's `.meta({ actions })`, else both. */
  readonly actions: readonly WriteAction[];
}

type JsonSchema = {
  type?: unknown;
  enum?: unknown;
  format?: unknown;
  items?: JsonSchema;
  description?: unknown;
  actions?: unknown;
  properties?: Record<string, JsonSchema>;
};

const WRITE_ACTIONS: readonly WriteAction[] = ['add', 'remove'];

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function kindOf(
  p: JsonSchema,
): { kind: OptionKind; choices?: string[]; format?: string } | undefined {
  if (p.type === 'boolean') return { kind: 'boolean' };
  if (p.type === 'number' || p.type === 'integer') return { kind: 'number' };
  if (p.type === 'string') {
    const choices = stringsOf(p.enum);
    if (choices) return { kind: 'string', choices };
    return typeof p.format === 'string' ? { kind: 'string', format: p.format } : { kind: 'string' };
  }
  if (p.type === 'array' && p.items?.type === 'string') {
    const choices = stringsOf(p.items.enum);
    return choices ? { kind: 'list', choices } : { kind: 'list' };
  }
  return undefined;
}

/**
 * The options an `optionsSchema` (zod 4) accepts, read from its JSON Schema. Options a flag
 * cannot carry (objects, options the connector refuses) are left out; undefined when the schema
 * is not an object of options.
 */
export function describeOptions(schema: unknown): ConnectorOption[] | undefined {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema as z.ZodType, {
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema;
  } catch {
    return undefined;
  }
  if (!json.properties) return undefined;
  const out: ConnectorOption[] = [];
  for (const [name, property] of Object.entries(json.properties)) {
    const kind = kindOf(property);
    if (!kind) continue;
    const actions = stringsOf(property.actions)?.filter((a): a is WriteAction =>
      WRITE_ACTIONS.includes(a as WriteAction),
    );
    out.push({
      name,
      ...kind,
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
      actions: actions && actions.length > 0 ? actions : WRITE_ACTIONS,
    });
  }
  return out;
}
