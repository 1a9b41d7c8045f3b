import type { CompletionModel } from './model.js';
import { nodeCases, type ShellDialect, valueCases, wordWalk } from './shell-words.js';

/** The bash completion script: `eval "$(orchest completion bash)"`. */
export function bashScript(model: CompletionModel): string {
  const d: ShellDialect = {
    instances: 'COMPREPLY=($(compgen -W "$(_orchest_instances "$config")" -- "$cur"))',
    files: 'COMPREPLY=($(compgen -f -- "$cur"))',
    offer: (words) => `COMPREPLY=($(compgen -W '${words}' -- "$cur"))`,
    list: (name, words) => `${name}='${words}'`,
    wordsVar: 'words',
  };
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
${valueCases(model, d).join('\n')}
  esac
  local flags='' words='' next=''
  case $cmd in
${nodeCases(model, d).join('\n')}
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
