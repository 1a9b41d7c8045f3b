/** Fault injection for an emulator; every rate is a probability from 0 to 1 per request. */
export interface FaultSpec {
  /** Share of requests answered with a 5xx in the service's own error shape. */
  readonly errorRate?: number;
  readonly errorStatus?: number;
  /** Share of requests answered 429 (or the service's rate-limit answer). */
  readonly rateLimitRate?: number;
  /** Retry-After the injected 429s ask for, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Added to every answer, in ms. */
  readonly latencyMs?: number;
  /** Share of requests whose connection is dropped before any answer. */
  readonly dropRate?: number;
  /** Share of requests carried out, then dropped: the change happened, the answer was lost. */
  readonly dropAfterRate?: number;
  /** Share of requests held unanswered for `timeoutMs`, then dropped (a client timeout). */
  readonly timeoutRate?: number;
  readonly timeoutMs?: number;
  /** Only paths matching this regular expression get faults. */
  readonly pathPattern?: string;
  /** Seed of the fault dice, so a run can be repeated. */
  readonly seed?: number;
}

const KEYS: Record<string, keyof FaultSpec> = {
  '5xx': 'errorRate',
  error: 'errorRate',
  status: 'errorStatus',
  '429': 'rateLimitRate',
  retryafter: 'retryAfterSeconds',
  'retry-after': 'retryAfterSeconds',
  latency: 'latencyMs',
  drop: 'dropRate',
  dropafter: 'dropAfterRate',
  'drop-after': 'dropAfterRate',
  timeout: 'timeoutRate',
  timeoutms: 'timeoutMs',
  'timeout-ms': 'timeoutMs',
  path: 'pathPattern',
  seed: 'seed',
};

/** Parses `5xx=0.2,429=0.05,latency=50,drop=0.01,timeout=0.05,seed=7` into a FaultSpec. */
export function parseFaultSpec(text: string): FaultSpec {
  const out: Record<string, number | string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [rawKey, rawValue] = part.split('=', 2);
    const key = KEYS[(rawKey ?? '').toLowerCase()];
    if (!key || rawValue === undefined) {
      throw new Error(
        `fault "${part}" is not understood; use key=value pairs with keys ${Object.keys(KEYS).join(', ')} (e.g. 5xx=0.2,429=0.05,latency=50)`,
      );
    }
    if (key === 'pathPattern') {
      out[key] = rawValue;
      continue;
    }
    const value = Number(rawValue);
    const isRate = key.endsWith('Rate');
    if (!Number.isFinite(value) || value < 0 || (isRate && value > 1)) {
      throw new Error(
        `fault "${part}": ${isRate ? 'a rate from 0 to 1' : 'a number of 0 or more'} expected`,
      );
    }
    out[key] = value;
  }
  return out as FaultSpec;
}

/** mulberry32: small, fast, repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision = 'none' | '5xx' | '429' | 'drop' | 'drop-after' | 'timeout';

/** Rolls the dice for one request. */
export function rollFault(spec: FaultSpec, random: () => number, path: string): FaultDecision {
  if (spec.pathPattern && !new RegExp(spec.pathPattern).test(path)) return 'none';
  const r = random();
  let edge = 0;
  const steps: Array<[FaultDecision, number | undefined]> = [
    ['drop', spec.dropRate],
    ['timeout', spec.timeoutRate],
    ['5xx', spec.errorRate],
    ['429', spec.rateLimitRate],
    ['drop-after', spec.dropAfterRate],
  ];
  for (const [kind, rate] of steps) {
    edge += rate ?? 0;
    if (r < edge) return kind;
  }
  return 'none';
}
