import { describe, expect, it } from 'vitest';
import { createSpecValidator } from './spec-validator.js';

const spec = {
  swagger: '2.0',
  paths: {
    '/users.info': {
      get: {
        responses: {
          '200': {
            schema: {
              type: 'object',
              required: ['ok', 'user'],
              properties: { ok: { enum: [true] } },
            },
          },
          default: {
            schema: {
              type: 'object',
              required: ['ok', 'error'],
              properties: { ok: { enum: [false] } },
            },
          },
        },
      },
    },
  },
};

describe('createSpecValidator', () => {
  const validator = createSpecValidator(spec);

  it('checks a body against the response its status selects', () => {
    expect(
      validator.validate({
        method: 'GET',
        path: '/users.info',
        status: 200,
        body: { ok: true, user: {} },
      }),
    ).toEqual([]);
    expect(
      validator.validate({
        method: 'GET',
        path: '/users.info',
        status: 200,
        body: { ok: false, error: 'x' },
      }),
    ).not.toEqual([]);
  });

  it('checks against the declared response a caller names (Slack: 200 ok:false is `default`)', () => {
    const error = {
      method: 'GET',
      path: '/users.info',
      status: 200,
      body: { ok: false, error: 'user_not_found' },
    };
    expect(validator.validate({ ...error, responseKey: 'default' })).toEqual([]);
    expect(
      validator.validate({ ...error, body: { ok: false }, responseKey: 'default' }),
    ).not.toEqual([]);
  });
});
