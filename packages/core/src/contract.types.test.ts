// Type-level test of defineConnector's inference, checked by `tsc -p tsconfig.test.json`
// (part of `pnpm test`); the runtime part only keeps vitest from calling the file empty.
import { expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type ConnectorContext, defineConnector } from './contract.js';
import type { ChangeResult } from './membership.js';

type Login = string & { readonly __brand: 'login' };

it('infers the config and identifier types from the schemas', () => {
  const connector = defineConnector({
    id: 'typed',
    displayName: 'Typed',
    configSchema: z.object({ org: z.string(), teams: z.array(z.string()).default([]) }),
    identifierSchema: z.string().transform((s) => s.toLowerCase() as Login),
    identifierHint: 'a name',
    capabilities: { actions: ['check'], roles: ['member'], list: false, serialWrites: false },
    limits: { concurrency: 1 },
    create(context) {
      expectTypeOf(context).toEqualTypeOf<ConnectorContext<{ org: string; teams: string[] }>>();
      expectTypeOf(context.config.teams).toEqualTypeOf<string[]>();
      // @ts-expect-error the config has no such key
      void context.config.token;
      return {
        check: async (identifier) => {
          expectTypeOf(identifier).toEqualTypeOf<Login>();
          return { state: 'absent' };
        },
        add: async () => ({ outcome: 'added' }),
        remove: async () => ({ outcome: 'removed' }),
      };
    },
  });
  expectTypeOf(connector.contract).toEqualTypeOf<string>();
  const rename = () => {
    // @ts-expect-error the connector is read-only
    connector.id = 'other';
  };
  void rename;
  // @ts-expect-error "gone" is not an outcome
  const bad: ChangeResult = { outcome: 'gone' };
  void bad;
});
