import { existsSync, readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

/** Where the real service is documented to differ from the published description. */
export interface OverlayEvidence {
  /** A first-party page (the service's own documentation). */
  readonly url: string;
  /** The words on that page that show the difference. */
  readonly quote: string;
}

/**
 * One correction of a published API description: an RFC 6902 JSON Patch operation (`add`,
 * `replace` or `remove`, `path` a JSON Pointer into the description) with the evidence for it.
 */
export interface SpecCorrection {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
  /** Why: what the description says against what the service does, in a sentence. */
  readonly why: string;
  readonly evidence: OverlayEvidence;
}

function pointerParts(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON Pointer`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function check(correction: SpecCorrection, index: number): void {
  const at = `correction ${index + 1} (${correction.path})`;
  if (!['add', 'replace', 'remove'].includes(correction.op))
    throw new Error(`${at}: op must be add, replace or remove`);
  if (!correction.why?.trim()) throw new Error(`${at}: says no "why"`);
  const { url, quote } = correction.evidence ?? ({} as Partial<OverlayEvidence>);
  if (!url || !/^https:\/\//.test(url) || !quote?.trim())
    throw new Error(`${at}: needs evidence: the https URL of a first-party page and a quote`);
}

/**
 * The description with every correction applied, on a copy: the published file stays as it was
 * published, and each difference from it is stated once, with its evidence, beside it.
 */
export function applySpecOverlay(spec: Json, corrections: readonly SpecCorrection[]): Json {
  const out = structuredClone(spec);
  corrections.forEach((correction, index) => {
    check(correction, index);
    const parts = pointerParts(correction.path);
    const last = parts.pop();
    if (last === undefined)
      throw new Error(`correction ${index + 1}: cannot replace the whole description`);
    let parent: unknown = out;
    for (const part of parts) {
      parent = (parent as Json)?.[part];
      if (parent === undefined || parent === null || typeof parent !== 'object')
        throw new Error(
          `correction ${index + 1}: ${correction.path} does not exist in the description`,
        );
    }
    const container = parent as Json | unknown[];
    if (Array.isArray(container)) {
      const i = last === '-' ? container.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > container.length)
        throw new Error(`correction ${index + 1}: ${correction.path}: no such array index`);
      if (correction.op === 'add') container.splice(i, 0, correction.value);
      else if (i >= container.length)
        throw new Error(
          `correction ${index + 1}: ${correction.path} does not exist in the description`,
        );
      else if (correction.op === 'replace') container[i] = correction.value;
      else container.splice(i, 1);
      return;
    }
    if (correction.op !== 'add' && !(last in container))
      throw new Error(
        `correction ${index + 1}: ${correction.path} does not exist in the description`,
      );
    if (correction.op === 'remove') delete container[last];
    else container[last] = correction.value;
  });
  return out;
}

/**
 * Reads a published description and, when it exists, the overlay beside it (`x.openapi.json`
 * with `x.overlay.json`): a JSON array of corrections.
 */
export function loadSpec(specFile: URL | string): Json {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as Json;
  const beside = (name: string) => name.replace(/\.openapi\.json$/, '.overlay.json');
  const overlayFile =
    typeof specFile === 'string' ? beside(specFile) : new URL(beside(specFile.href));
  if (!existsSync(overlayFile)) return spec;
  return applySpecOverlay(spec, JSON.parse(readFileSync(overlayFile, 'utf8')) as SpecCorrection[]);
}
