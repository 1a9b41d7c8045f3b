import type { CompletionModel } from './model.js';
import { nodeCases, type ShellDialect, valueCases, wordWalk } from './shell-words.js';

/** The zsh completion script: `source <(orchest completion zsh)` after `compinit`. */
export function zshScript(model: CompletionModel): string {
  const d: ShellDialect = {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's own ${(f)...}, not a template
    instances: 'compadd -- ${(f)"$(_orchest_instances "$config")"}',
    files: '_files',
    offer: (words) => `compadd -- ${words}`,
    list: (name, words) => `${name}=(${words})`,
    wordsVar: 'candidates',
  };
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
${valueCases(model, d).join('\n')}
  esac
  case $cmd in
${nodeCases(model, d).join('\n')}
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
