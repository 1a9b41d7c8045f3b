import type { CompletionModel } from './model.js';
import {
  casePattern,
  flagWords,
  nextKind,
  nextWords,
  valueFlagGroups,
  wordWalk,
} from './shell-words.js';

/** The bash completion script: `eval "$(orchest completion bash)"`. */
export function bashScript(model: CompletionModel): string {
  const groups = valueFlagGroups(model);
  const valueCases = [
    groups.instance.length > 0
      ? `    ${groups.instance.join('|')}) COMPREPLY=($(compgen -W "$(_orchest_instances "$config")" -- "$cur")); return ;;`
      : '',
    groups.file.length > 0
      ? `    ${groups.file.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`
      : '',
    ...groups.choices.map(
      ([flags, words]) =>
        `    ${flags.join('|')}) COMPREPLY=($(compgen -W '${words.join(' ')}' -- "$cur")); return ;;`,
    ),
    groups.free.length > 0 ? `    ${groups.free.join('|')}) return ;;` : '',
  ].filter(Boolean);
  const nodeCases = model.nodes.map((node) => {
    const parts = [`flags='${flagWords(node)}'`];
    const words = nextWords(node);
    if (words !== undefined) parts.push(`words='${words}'`);
    const kind = nextKind(node);
    if (kind) parts.push(`next=${kind}`);
    return `    ${casePattern(node)}) ${parts.join('; ')} ;;`;
  });
  return `# orchest completion for bash: eval "$(orchest completion bash)" in ~/.bashrc,
# or save it as ~/.local/share/bash-completion/completions/orchest
_orchest_instances() {
  command orchest completion instances \${1:+--config "$1"} 2>/dev/null
}

_orchest() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local cmd='' config='' started='' i w
${wordWalk(model, 'COMP_WORDS', 1, 'COMP_CWORD')}
  case $prev in
${valueCases.join('\n')}
  esac
  local flags='' words='' next=''
  case $cmd in
${nodeCases.join('\n')}
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ $next == instance ]]; then COMPREPLY=($(compgen -W "$(_orchest_instances "$config")" -- "$cur"))
  elif [[ $next == file ]]; then COMPREPLY=($(compgen -f -- "$cur"))
  else COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
complete -F _orchest orchest
`;
}
