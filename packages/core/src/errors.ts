import { redact, redactValue } from './redact.js';

/** Stable machine-readable error codes. They never change meaning once released. */
export const ERROR_CODES = {
  invalidIdentifier: 'ORCH_INVALID_IDENTIFIER',
  invalidInput: 'ORCH_INVALID_INPUT',
  config: 'ORCH_CONFIG',
  connectorNotFound: 'ORCH_CONNECTOR_NOT_FOUND',
  contractMismatch: 'ORCH_CONTRACT_MISMATCH',
  authentication: 'ORCH_AUTHENTICATION',
  permission: 'ORCH_PERMISSION',
  notFound: 'ORCH_NOT_FOUND',
  unsupported: 'ORCH_UNSUPPORTED',
  conflict: 'ORCH_CONFLICT',
  rejected: 'ORCH_REJECTED',
  rateLimited: 'ORCH_RATE_LIMITED',
  transient: 'ORCH_TRANSIENT',
  cancelled: 'ORCH_CANCELLED',
  internal: 'ORCH_INTERNAL',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Whose side an error is on: the person's input (before anything is sent), or the service's. */
export type ErrorCategory = 'input' | 'service';

/** What caused an error, kept without secrets: name, message and a few plain fields. */
export interface ErrorCause {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
}

export interface OrchesterErrorOptions {
  readonly cause?: unknown;
  /** Extra facts for logs and `--json`, redacted like the message. */
  readonly details?: Record<string, unknown>;
}

function sanitizeCause(cause: unknown): ErrorCause | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof OrchesterError) {
    return { name: cause.name, message: cause.message, code: cause.code };
  }
  if (cause instanceof Error) {
    const c = cause as Error & { status?: unknown; code?: unknown };
    return {
      name: c.name,
      message: redact(c.message),
      ...(typeof c.status === 'number' ? { status: c.status } : {}),
      ...(typeof c.code === 'string' || typeof c.code === 'number' ? { code: String(c.code) } : {}),
    };
  }
  return { name: 'Error', message: redact(String(cause)) };
}

/**
 * Base of every error orchester raises on purpose. `code` is stable, `retryable` says whether
 * trying again later can help, and nothing in the message, cause or details holds a secret.
 */
export abstract class OrchesterError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly retryable: boolean;
  /**
   * Whose side the problem is on: `input` (flags, files, config: fixed by the person, before
   * anything is sent) or `service` (the service failed or refused, or orchester could not tell).
   * Hosts map it to their own signals (the CLI's exit codes 2 and 3).
   */
  readonly category: ErrorCategory = 'service';
  override readonly cause: ErrorCause | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: OrchesterErrorOptions = {}) {
    super(redact(message));
    this.name = new.target.name;
    this.cause = sanitizeCause(options.cause);
    this.details = options.details
      ? (redactValue(options.details) as Record<string, unknown>)
      : undefined;
    if (this.stack) this.stack = redact(this.stack);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      retryable: this.retryable,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...(this.cause ? { cause: this.cause } : {}),
    };
  }
}

/** The identifier is not a valid login, e-mail or username for this connector. */
export class InvalidIdentifierError extends OrchesterError {
  readonly code = ERROR_CODES.invalidIdentifier;
  readonly retryable = false;
  override readonly category = 'input';
}

/** Input from a person (flags, batch rows, roster) is wrong. */
export class InvalidInputError extends OrchesterError {
  readonly code = ERROR_CODES.invalidInput;
  readonly retryable = false;
  override readonly category = 'input';
}

/** The config file, or what a connector was given from it, is wrong. */
export class ConfigError extends OrchesterError {
  readonly code = ERROR_CODES.config;
  readonly retryable = false;
  override readonly category = 'input';
}

/** No installed connector serves the type or instance asked for. */
export class ConnectorNotFoundError extends OrchesterError {
  readonly code = ERROR_CODES.connectorNotFound;
  readonly retryable = false;
  override readonly category = 'input';
}

/** A connector was written against a contract this core does not offer. */
export class ContractMismatchError extends OrchesterError {
  readonly code = ERROR_CODES.contractMismatch;
  readonly retryable = false;
  override readonly category = 'input';
}

/** The service did not accept the credentials. */
export class AuthenticationError extends OrchesterError {
  readonly code = ERROR_CODES.authentication;
  readonly retryable = false;
}

/** The credentials are valid but may not do this. */
export class PermissionError extends OrchesterError {
  readonly code = ERROR_CODES.permission;
  readonly retryable = false;
}

/** The person does not exist on the service. */
export class NotFoundError extends OrchesterError {
  readonly code = ERROR_CODES.notFound;
  readonly retryable = false;
}

/** The service's plan or the configured mode cannot do this. */
export class UnsupportedError extends OrchesterError {
  readonly code = ERROR_CODES.unsupported;
  readonly retryable = false;
}

/** The service refused because of the current state (e.g. the owner cannot be removed). */
export class ConflictError extends OrchesterError {
  readonly code = ERROR_CODES.conflict;
  readonly retryable = false;
}

/**
 * The service refused the request as malformed or invalid (an HTTP 400) after it was sent:
 * unlike an input error, something reached the service.
 */
export class RejectedError extends OrchesterError {
  readonly code = ERROR_CODES.rejected;
  readonly retryable = false;
}

/** The service asked us to slow down; `retryAfterMs` is how long it asked for. */
export class RateLimitedError extends OrchesterError {
  readonly code = ERROR_CODES.rateLimited;
  readonly retryable = true;
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options: OrchesterErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** A fault that may pass: 5xx, timeouts, dropped connections. */
export class TransientError extends OrchesterError {
  readonly code = ERROR_CODES.transient;
  readonly retryable = true;
}

/** The work was stopped on purpose (shutdown, abort signal). */
export class CancelledError extends OrchesterError {
  readonly code = ERROR_CODES.cancelled;
  readonly retryable = true;
}

/** A bug or an unexpected answer: not retried, reported with its cause. */
export class InternalError extends OrchesterError {
  readonly code = ERROR_CODES.internal;
  readonly retryable = false;
}

/** Any thrown value as an OrchesterError; unknown errors become `InternalError`. */
export function toOrchesterError(error: unknown): OrchesterError {
  if (isOrchesterError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`unexpected error: ${message}`, { cause: error });
}

/** True for any OrchesterError, even one from another copy of this package. */
export function isOrchesterError(error: unknown): error is OrchesterError {
  if (error instanceof OrchesterError) return true;
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: unknown; retryable?: unknown };
  return (
    typeof e.code === 'string' && e.code.startsWith('ORCH_') && typeof e.retryable === 'boolean'
  );
}

const INPUT_CODES: ReadonlySet<string> = new Set([
  ERROR_CODES.invalidIdentifier,
  ERROR_CODES.invalidInput,
  ERROR_CODES.config,
  ERROR_CODES.connectorNotFound,
  ERROR_CODES.contractMismatch,
]);

/** The category of an error code, for a report that keeps only the code. */
export function categoryOfErrorCode(code: string): ErrorCategory {
  return INPUT_CODES.has(code) ? 'input' : 'service';
}
