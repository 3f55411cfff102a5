#!/bin/bash
# Read-only probe before the pyenv role changes anything. Prints key=value:
#   git, nproc, checkout (HEAD of the existing checkout, or empty), commit (the pinned ref resolved), ref_missing / clone_failed,
#   missing (versions pyenv's definitions at that ref lack), virtualenv_ref_missing,
#   and file_<shell>_<kind>: the real file (symlinks followed) each shell block goes into.
# Usage: preflight.sh ROOT URL REF VENV_URL VENV_REF VERSIONS SHELLSPEC...
#   VENV_URL empty: no pyenv-virtualenv. VERSIONS: comma-separated.
#   SHELLSPEC: <shell>:<kind>:<candidate>,<candidate>,... (first existing wins, else the last).
set -u -o pipefail
root=$1 url=$2 ref=$3 venv_url=$4 venv_ref=$5 versions=$6
shift 6
echo "nproc=$(nproc 2>/dev/null || echo 1)"
for spec in "$@"; do
  IFS=: read -r shell kind candidates <<<"$spec"
  IFS=, read -r -a names <<<"$candidates"
  chosen="$HOME/${names[-1]}"
  for name in "${names[@]}"; do
    if [ -e "$HOME/$name" ] || [ -L "$HOME/$name" ]; then chosen="$HOME/$name"; break; fi
  done
  real=$(readlink -m "$chosen")
  echo "file_${shell}_${kind}=$real"
  echo "mode_${shell}_${kind}=0$(stat -c %a "$real" 2>/dev/null || echo 644)"
done
if ! command -v git >/dev/null; then
  echo "git=no"
  exit 0
fi
echo "git=yes"
echo "checkout=$(git --git-dir="$root/.git" rev-parse -q --verify HEAD 2>/dev/null)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Resolve REF in the existing checkout when it has it (the no-op re-run), else in a scratch clone.
resolve() {  # resolve NAME DIR URL REF -> prints the repo (git dir) holding REF, or fails
  local name=$1 dir=$2 source=$3 wanted=$4
  if git --git-dir="$dir/.git" rev-parse --verify -q "$wanted^{commit}" >/dev/null 2>&1; then
    echo "$dir/.git"
    return 0
  fi
  if ! error=$(GIT_TERMINAL_PROMPT=0 git clone --quiet --bare "$source" "$tmp/$name" 2>&1); then
    echo "clone_failed=${error//$'\n'/ }" >&2
    return 2
  fi
  git --git-dir="$tmp/$name" rev-parse --verify -q "$wanted^{commit}" >/dev/null || return 1
  echo "$tmp/$name"
}
if repo=$(resolve pyenv "$root" "$url" "$ref" 2>"$tmp/err"); then
  echo "commit=$(git --git-dir="$repo" rev-parse "$ref^{commit}")"
  missing=()
  IFS=, read -r -a wanted <<<"$versions"
  for version in "${wanted[@]}"; do
    git --git-dir="$repo" cat-file -e "$ref:plugins/python-build/share/python-build/$version" 2>/dev/null \
      || missing+=("$version")
  done
  (IFS=,; echo "missing=${missing[*]}")
else
  [ -s "$tmp/err" ] && cat "$tmp/err" || echo "ref_missing=$ref"
fi
if [ -n "$venv_url" ]; then
  if ! resolve virtualenv "$root/plugins/pyenv-virtualenv" "$venv_url" "$venv_ref" >/dev/null 2>"$tmp/err"; then
    [ -s "$tmp/err" ] && sed 's/^clone_failed=/virtualenv_clone_failed=/' "$tmp/err" || echo "virtualenv_ref_missing=$venv_ref"
  fi
fi
