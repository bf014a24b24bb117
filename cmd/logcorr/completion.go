package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// Shell completion is urfave/cli's: the app answers
// `logcorr ... --generate-bash-completion` with the commands or flags
// that may come next; these scripts ask it on every <TAB>. Fish gets the
// static script urfave/cli generates from the command tree.

const bashCompletion = `# bash completion for logcorr: source <(logcorr completion bash)
_logcorr_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local line=("${COMP_WORDS[@]:0:COMP_CWORD}")
  local opts
  if [[ "$cur" == -* ]]; then
    opts=$("${line[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${line[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o bashdefault -o default -F _logcorr_complete logcorr
`

const zshCompletion = `#compdef logcorr
# zsh completion for logcorr: logcorr completion zsh > "${fpath[1]}/_logcorr"
_logcorr() {
  local -a opts
  local cur=${words[-1]}
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} $cur --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _logcorr logcorr
`

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Action: func(c *cli.Context) error {
			switch c.Args().First() {
			case "bash":
				_, err := fmt.Fprint(c.App.Writer, bashCompletion)
				return err
			case "zsh":
				_, err := fmt.Fprint(c.App.Writer, zshCompletion)
				return err
			case "fish":
				// From a fresh command tree: once an app has run, urfave/cli
				// has hung its help command under itself, and its fish
				// generator recurses into that forever.
				s, err := newApp().ToFishCompletion()
				if err != nil {
					return cli.Exit(err.Error(), exitUsage)
				}
				_, err = fmt.Fprint(c.App.Writer, s)
				return err
			}
			return cli.Exit(fmt.Sprintf("completion: give a shell: bash, zsh or fish (got %q)", c.Args().First()), exitUsage)
		},
	}
}
