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

describe('request checks', () => {
  // Slack-like (Swagger 2.0, form fields and a header) and Trello-like (OpenAPI 3, a $ref'd path
  // parameter with a pattern, an enum query parameter and a JSON body).
  const slack = createSpecValidator({
    swagger: '2.0',
    paths: {
      '/admin.users.remove': {
        post: {
          parameters: [
            { name: 'token', in: 'header', required: true, type: 'string' },
            { name: 'team_id', in: 'formData', required: true, type: 'string' },
            { name: 'limit', in: 'formData', type: 'integer' },
          ],
          responses: { '200': { schema: { type: 'object' } } },
        },
      },
    },
  });
  const trello = createSpecValidator({
    openapi: '3.0.0',
    components: {
      schemas: {
        TrelloID: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
        Fields: { type: 'string', enum: ['id', 'username'] },
      },
    },
    paths: {
      '/organizations/{id}/members': {
        put: {
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { $ref: '#/components/schemas/TrelloID' },
            },
            { name: 'fields', in: 'query', schema: { $ref: '#/components/schemas/Fields' } },
            { name: 'ids', in: 'query', schema: { type: 'array', items: { type: 'integer' } } },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['email'],
                  properties: { email: { type: 'string' } },
                },
              },
            },
          },
          responses: { '200': {} },
        },
      },
    },
  });

  it('names a missing required parameter, in a header or a form', () => {
    expect(
      slack
        .validateRequest({ method: 'POST', path: '/admin.users.remove', body: {} })
        .map((v) => v.message),
    ).toEqual([
      'required header parameter token is missing',
      'required formData parameter team_id is missing',
    ]);
    expect(
      slack.validateRequest({
        method: 'POST',
        path: '/admin.users.remove',
        headers: { token: 'x' },
        body: { team_id: 'T1', limit: '10' },
      }),
    ).toEqual([]);
  });

  it('checks values against their schemas, coercing query and form text to the declared type', () => {
    const messages = (request: Parameters<typeof trello.validateRequest>[0]) =>
      trello.validateRequest(request).map((v) => v.message);
    const ok = {
      method: 'PUT',
      path: '/organizations/5f0c8a1b2c3d4e5f6a7b8c9d/members',
      query: new URLSearchParams('fields=id&ids=1,2'),
      body: { email: 'a@example.com' },
    };
    expect(messages(ok)).toEqual([]);
    expect(messages({ ...ok, path: '/organizations/acme/members' })).toEqual([
      'path parameter id "acme" must match pattern "^[0-9a-fA-F]{24}$"',
    ]);
    expect(messages({ ...ok, query: new URLSearchParams('fields=id,username') })).toEqual([
      'query parameter fields "id,username" must be equal to one of the allowed values (id, username)',
    ]);
    expect(messages({ ...ok, query: new URLSearchParams('ids=1,x') })).toEqual([
      'query parameter ids "1,x"/1 must be integer',
    ]);
    expect(messages({ ...ok, body: {} })).toEqual(["body must have required property 'email'"]);
    expect(messages({ ...ok, body: undefined })).toEqual(['the body is required']);
  });

  it('refuses a request to a path the description does not have', () => {
    expect(slack.validateRequest({ method: 'GET', path: '/admin.users.remove' })).toEqual([
      {
        method: 'GET',
        path: '/admin.users.remove',
        status: 0,
        message: 'path and method are not in the spec',
      },
    ]);
  });
});
