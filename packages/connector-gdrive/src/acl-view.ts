import type { Clock } from '@orchester/core';
import type { UserPermission } from './permission.js';

/**
 * How long an absence in the view is believed by `add`: someone the view does not list is shared
 * with straight away. Presence is never believed: it is read again before any answer rests on it.
 */
export const VIEW_MAX_AGE_MS = 30_000;

/**
 * What one instance last read of its item's ACL: each person's permission by e-mail, when the
 * read that gave it started, and whether the whole ACL came in one call (a My Drive item always
 * does; a shared drive gives 100 a page). Every read and every confirmed write keeps it current;
 * a write whose outcome is unknown empties it.
 */
export class AclView {
  private people = new Map<string, UserPermission>();
  private readStartedAt = Number.NEGATIVE_INFINITY;
  private oneCall = false;

  constructor(private readonly clock: Clock) {}

  /** A whole read of the ACL that started at `startedAt`; an older read never replaces a newer one. */
  replace(permissions: readonly UserPermission[], startedAt: number, calls: number): void {
    if (startedAt < this.readStartedAt) return;
    this.people = new Map(permissions.map((p) => [p.emailAddress.toLowerCase(), p]));
    this.readStartedAt = startedAt;
    this.oneCall = calls === 1;
  }

  /** What a read of one person's permission found (undefined: they have none). */
  note(email: string, permission: UserPermission | undefined): void {
    if (permission) this.people.set(email, permission);
    else this.people.delete(email);
  }

  /** Forgets everything: after a write whose answer was lost, nothing here can be believed. */
  forget(): void {
    this.people.clear();
    this.readStartedAt = Number.NEGATIVE_INFINITY;
    this.oneCall = false;
  }

  get(email: string): UserPermission | undefined {
    return this.people.get(email);
  }

  /** Whether the last whole read is recent enough for `add` to believe an absence. */
  get fresh(): boolean {
    return this.clock.now() - this.readStartedAt <= VIEW_MAX_AGE_MS;
  }

  /** Whether reading the whole ACL costs one call (then it is the cheapest read-back). */
  get wholeInOneCall(): boolean {
    return this.oneCall;
  }
}
