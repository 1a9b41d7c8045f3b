import { afterEach, describe, expect, it } from 'vitest';
import { defineEmulator, type RunningEmulator } from './emulator.js';

interface State {
  people: string[];
}

const toy = defineEmulator<State>({
  name: 'toy',
  seeds: { demo: () => ({ people: ['ada'] }), empty: () => ({ people: [] }) },
  routes(route) {
    route('GET', '/people/:name', (req, state) =>
      state.people.includes(req.params.name ?? '')
        ? { status: 204 }
        : { status: 404, body: { message: 'Not Found' } },
    );
    route('PUT', '/people/:name', (req, state) => {
      if (!state.people.includes(req.params.name ?? '')) state.people.push(req.params.name ?? '');
      return { status: 200, body: { name: req.params.name } };
    });
  },
  faultResponse: (kind) =>
    kind === '429'
      ? { status: 429, headers: { 'retry-after': 1 }, body: { message: 'slow down' } }
      : { status: 503, body: { message: 'unavailable' } },
  configFor: ({ url }) => ({ base_url: url, token: 'toy-token' }),
});

let running: RunningEmulator<State> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('emulator toolkit', () => {
  it('serves routes on loopback, keeps state, and logs requests without credentials', async () => {
    running = await toy.start();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${running.url}/people/ada`)).status).toBe(204);
    expect((await fetch(`${running.url}/people/bob?token=s3cret-value`)).status).toBe(404);
    expect((await fetch(`${running.url}/people/bob`, { method: 'PUT' })).status).toBe(200);
    expect(running.state.people).toEqual(['ada', 'bob']);
    expect(running.requests.map((r) => [r.method, r.route, r.status])).toEqual([
      ['GET', '/people/:name', 204],
      ['GET', '/people/:name', 404],
      ['PUT', '/people/:name', 200],
    ]);
    expect(JSON.stringify(running.requests)).not.toContain('s3cret-value');
    const state = await (await fetch(`${running.url}/_sandbox/state`)).json();
    expect(state).toEqual({ people: ['ada', 'bob'] });
  });

  it('injects faults in the service shape, changeable while running', async () => {
    running = await toy.start({ seed: 'empty' });
    await fetch(`${running.url}/_sandbox/faults`, { method: 'POST', body: '429=1,retry-after=3' });
    const limited = await fetch(`${running.url}/people/x`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    running.setFaults({ errorRate: 1 });
    expect((await fetch(`${running.url}/people/x`)).status).toBe(503);
    running.setFaults({ dropRate: 1 });
    await expect(fetch(`${running.url}/people/x`)).rejects.toThrow();
    running.setFaults({ dropAfterRate: 1 });
    await expect(fetch(`${running.url}/people/carol`, { method: 'PUT' })).rejects.toThrow();
    expect(running.state.people).toEqual(['carol']);
  });
});
