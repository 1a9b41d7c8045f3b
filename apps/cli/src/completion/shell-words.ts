import type { Completion } from '../command-spec.js';
import type { CompletionModel, CompletionNode } from './model.js';

// What the bash and zsh scripts share: the same walk over the words typed so far, written
// with the same `case` patterns (the two shells read these lines alike).

/** A `case` pattern for a node's paths: `'rm'|'remove'`, `''` before any command. */
function casePattern(node: CompletionNode): string {
  return [node.path, ...node.aliases].map((p) => `'${p}'`).join('|');
}

/** The flag words a node offers: `--connector -c --json ...`. */
function flagWords(node: CompletionNode): string {
  return node.flags
    .flatMap(({ name, flag }) => [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])])
    .join(' ');
}

/** The next words a node offers, when they are fixed words. */
function nextWords(node: CompletionNode): string | undefined {
  const next = node.next;
  if (next === undefined || typeof next === 'string') return undefined;
  if ('words' in next) return next.words.map(([w]) => w).join(' ');
  return (next as readonly string[]).join(' ');
}

/** The group paths (`batch`) whose next word is a subcommand. */
export function groupPaths(model: CompletionModel): string[] {
  return model.nodes
    .filter(
      (n) =>
        n.path !== '' &&
        n.path !== 'help' &&
        n.next &&
        typeof n.next === 'object' &&
        'words' in n.next,
    )
    .map((n) => n.path);
}

/** How bash or zsh offers words and sets a list. */
export interface ShellDialect {
  /** Offers the configured instances. */
  readonly instances: string;
  /** Offers file names. */
  readonly files: string;
  /** Offers fixed words (space-separated). */
  offer(words: string): string;
  /** Sets the list `name` to the words. */
  list(name: string, words: string): string;
  /** The list the next fixed words go in (`words` is zsh's own). */
  readonly wordsVar: string;
}

/** The `case $prev` arms: what completes the value of each value flag. */
export function valueCases(model: CompletionModel, d: ShellDialect): string[] {
  const groups = valueFlagGroups(model);
  return [
    groups.instance.length > 0 ? `    ${groups.instance.join('|')}) ${d.instances}; return ;;` : '',
    groups.file.length > 0 ? `    ${groups.file.join('|')}) ${d.files}; return ;;` : '',
    ...groups.choices.map(
      ([flags, words]) => `    ${flags.join('|')}) ${d.offer(words.join(' '))}; return ;;`,
    ),
    groups.free.length > 0 ? `    ${groups.free.join('|')}) return ;;` : '',
  ].filter(Boolean);
}

/** The `case $cmd` arms: each command's flags, its next words and what its argument is. */
export function nodeCases(model: CompletionModel, d: ShellDialect): string[] {
  return model.nodes.map((node) => {
    const parts = [d.list('flags', flagWords(node))];
    const words = nextWords(node);
    if (words !== undefined) parts.push(d.list(d.wordsVar, words));
    const kind = nextKind(node);
    if (kind) parts.push(`next=${kind}`);
    return `    ${casePattern(node)}) ${parts.join('; ')} ;;`;
  });
}

/** The value flags grouped by what completes them. */
function valueFlagGroups(model: CompletionModel): {
  instance: string[];
  file: string[];
  choices: Array<[string[], readonly string[]]>;
  free: string[];
} {
  const out = {
    instance: [] as string[],
    file: [] as string[],
    choices: [] as Array<[string[], readonly string[]]>,
    free: [] as string[],
  };
  for (const [spelling, completion] of model.valueCompletions) {
    if (completion === 'instance') out.instance.push(spelling);
    else if (completion === 'file') out.file.push(spelling);
    else if (Array.isArray(completion)) out.choices.push([[spelling], completion]);
    else out.free.push(spelling);
  }
  return out;
}

/**
 * The loop bash and zsh share: it walks the words before the cursor (`words` from index `first`
 * up to `current`), skipping flags and their values, and leaves the command path in `cmd`
 * (`add`, `batch apply`) and `--config`'s value in `config`.
 */
export function wordWalk(
  model: CompletionModel,
  words: string,
  first: number,
  current: string,
): string {
  const skip = model.valueFlags.filter((f) => f !== '--config').join('|');
  const groupCases = groupPaths(model)
    .map((g) => `'${g}') cmd="${g} $w" ;;`)
    .join(' ');
  return `  for ((i = ${first}; i < ${current}; i++)); do
    w=\${${words}[i]}
    case $w in
      --config) config=\${${words}[i+1]}; ((i++)) ;;
      --config=*) config=\${w#--config=} ;;
      ${skip}) ((i++)) ;;
      -*) ;;
      *)
        if [[ -z $started ]]; then cmd=$w; started=1
        else case $cmd in ${groupCases} esac
        fi ;;
    esac
  done`;
}

/** What a node's next word is: instances, files or nothing special. */
function nextKind(node: CompletionNode): 'instance' | 'file' | undefined {
  const next: Completion | { words: unknown } | undefined = node.next;
  return next === 'instance' || next === 'file' ? next : undefined;
}
