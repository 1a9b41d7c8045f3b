import type { CompletionModel, CompletionNode } from './model.js';
import { groupPaths } from './shell-words.js';

/** A fish single-quoted string. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function condition(node: CompletionNode): string {
  return quote(`__orchest_at ${[node.path, ...node.aliases].map((p) => `'${p}'`).join(' ')}`);
}

function lines(node: CompletionNode): string[] {
  const out: string[] = [];
  const when = `complete -c orchest -n ${condition(node)}`;
  for (const { name, flag } of node.flags) {
    const spelling = `${flag.short ? `-s ${flag.short} ` : ''}-l ${name}`;
    let value = '';
    if (flag.type === 'string') {
      if (flag.complete === 'instance') value = " -x -a '(__orchest_instances)'";
      else if (flag.complete === 'file') value = ' -r -F';
      else if (Array.isArray(flag.complete)) value = ` -x -a ${quote(flag.complete.join(' '))}`;
      else value = ' -x';
    }
    out.push(`${when} ${spelling}${value} -d ${quote(flag.description)}`);
  }
  const next = node.next;
  if (next === 'instance') out.push(`${when} -a '(__orchest_instances)'`);
  else if (next === 'file') out.push(`${when} -F`);
  else if (Array.isArray(next)) out.push(`${when} -a ${quote(next.join(' '))}`);
  else if (next && typeof next === 'object' && 'words' in next) {
    for (const [word, summary] of next.words)
      out.push(`${when} -a ${quote(word)} -d ${quote(summary)}`);
  }
  return out;
}

/** The fish completion script: `orchest completion fish > ~/.config/fish/completions/orchest.fish`. */
export function fishScript(model: CompletionModel): string {
  const groups = groupPaths(model)
    .map(
      (g) =>
        `                else if test "$path" = ${quote(g)}\n                    set path "${g} $t"`,
    )
    .join('\n');
  const skip = model.valueFlags.filter((f) => f !== '--config').join(' ');
  return `# orchest completion for fish: orchest completion fish > ~/.config/fish/completions/orchest.fish
# The words typed so far: the command path ('add', 'batch apply'), and --config's value.
function __orchest_words
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l config ''
    set -l started 0
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if test $skip = 2
            set skip 0
            set config $t
            continue
        end
        switch $t
            case --config
                set skip 2
            case '--config=*'
                set config (string replace -- --config= '' $t)
            case ${skip}
                set skip 1
            case '-*'
            case '*'
                if test $started = 0
                    set path $t
                    set started 1
${groups}
                end
        end
    end
    printf '%s\\n' $path $config
end

function __orchest_at
    set -l words (__orchest_words)
    contains -- "$words[1]" $argv
end

function __orchest_instances
    set -l words (__orchest_words)
    if test -n "$words[2]"
        command orchest completion instances --config $words[2] 2>/dev/null
    else
        command orchest completion instances 2>/dev/null
    end
end

complete -c orchest -f
${model.nodes.flatMap(lines).join('\n')}
`;
}
