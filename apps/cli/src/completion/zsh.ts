import type { CompletionModel } from './model.js';
import {
  casePattern,
  flagWords,
  nextKind,
  nextWords,
  valueFlagGroups,
  wordWalk,
} from './shell-words.js';

/** The zsh completion script: `source <(orchest completion zsh)` after `compinit`. */
export function zshScript(model: CompletionModel): string {
  const groups = valueFlagGroups(model);
  const valueCases = [
    groups.instance.length > 0
      ? `    ${groups.instance.join('|')}) compadd -- \${(f)"$(_orchest_instances "$config")"}; return ;;`
      : '',
    groups.file.length > 0 ? `    ${groups.file.join('|')}) _files; return ;;` : '',
    ...groups.choices.map(
      ([flags, words]) => `    ${flags.join('|')}) compadd -- ${words.join(' ')}; return ;;`,
    ),
    groups.free.length > 0 ? `    ${groups.free.join('|')}) return ;;` : '',
  ].filter(Boolean);
  const nodeCases = model.nodes.map((node) => {
    const parts = [`flags=(${flagWords(node)})`];
    const words = nextWords(node);
    if (words !== undefined) parts.push(`candidates=(${words})`);
    const kind = nextKind(node);
    if (kind) parts.push(`next=${kind}`);
    return `    ${casePattern(node)}) ${parts.join('; ')} ;;`;
  });
  // `path` and `words` are zsh's own parameters: the names below avoid them.
  return `#compdef orchest
# orchest completion for zsh: source <(orchest completion zsh) in ~/.zshrc, after compinit
_orchest_instances() {
  command orchest completion instances \${1:+--config "$1"} 2>/dev/null
}

_orchest() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]}
  local cmd='' config='' started='' next='' i w
  local -a flags candidates
${wordWalk(model, 'words', 2, 'CURRENT')}
  case $prev in
${valueCases.join('\n')}
  esac
  case $cmd in
${nodeCases.join('\n')}
  esac
  if [[ $cur == -* ]]; then compadd -- $flags
  elif [[ $next == instance ]]; then compadd -- \${(f)"$(_orchest_instances "$config")"}
  elif [[ $next == file ]]; then _files
  else compadd -- $candidates
  fi
}
compdef _orchest orchest
`;
}
