import { z } from 'zod';
import type { AnyConnector, MembershipOptions } from './contract.js';
import { InvalidIdentifierError, InvalidInputError } from './errors.js';
import { MAX_IDENTIFIER_LENGTH, quote } from './input.js';
import type { MembershipAction } from './membership.js';

// Built once per connector: building a zod schema costs far more than parsing with it, and a
// 10,000-row batch parses options 10,000 times.
const defaultSchemas = new WeakMap<AnyConnector, z.ZodType>();

/** The default options schema: a role the connector knows, and a display name. */
function defaultOptionsSchema(connector: AnyConnector): z.ZodType {
  let schema = defaultSchemas.get(connector);
  if (!schema) {
    schema = buildDefaultOptionsSchema(connector);
    defaultSchemas.set(connector, schema);
  }
  return schema;
}

function buildDefaultOptionsSchema(connector: AnyConnector) {
  const roles = connector.capabilities.roles;
  return z
    .object({
      role: roles.length > 0 ? z.enum(roles as [string, ...string[]]).optional() : z.undefined(),
      fullName: z.string().trim().min(1).max(200).optional(),
    })
    .strict();
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/**
 * Checks and normalizes an identifier for `connector`, or throws naming what it expected. One
 * longer than any login or e-mail address is refused before the connector's schema sees it.
 */
export function parseIdentifier(connector: AnyConnector, raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.length > MAX_IDENTIFIER_LENGTH) {
    throw new InvalidIdentifierError(
      `${quote(raw, 40)} is too long for ${connector.identifierHint} (${connector.displayName}): at most ${MAX_IDENTIFIER_LENGTH} characters`,
      { details: { connector: connector.id } },
    );
  }
  const parsed = connector.identifierSchema.safeParse(trimmed);
  if (!parsed.success) {
    throw new InvalidIdentifierError(
      `${quote(raw)} is not ${connector.identifierHint} (${connector.displayName}): ${firstIssue(parsed.error)}`,
      { details: { identifier: quote(raw).slice(1, -1), connector: connector.id } },
    );
  }
  return parsed.data as string;
}

/**
 * Checks `add`/`remove` options for `connector`. A missing role stays missing: the connector
 * picks its default (which may come from the instance's config), so parsing is idempotent.
 */
export function parseOptions(
  connector: AnyConnector,
  _action: MembershipAction,
  raw: Record<string, unknown>,
): MembershipOptions {
  const schema = connector.optionsSchema ?? defaultOptionsSchema(connector);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const roles = connector.capabilities.roles;
    const hint = roles.length > 0 ? ` (roles: ${roles.join(', ')})` : '';
    throw new InvalidInputError(
      `invalid options for ${connector.id}: ${firstIssue(parsed.error)}${hint}`,
      { details: { connector: connector.id } },
    );
  }
  return parsed.data as MembershipOptions;
}

/** Checks that the connector can do `action` at all. */
export function assertAction(connector: AnyConnector, action: MembershipAction): void {
  if (!connector.capabilities.actions.includes(action)) {
    throw new InvalidInputError(
      `${connector.displayName} connector cannot ${action}; it can ${connector.capabilities.actions.join(', ')}`,
    );
  }
}
