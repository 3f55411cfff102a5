#!/usr/bin/env bash
# make bench's raw baseline (tests/harness/bench.py): the work playbooks/laptop.yml
# does on a fresh machine, as the plain commands a person would type, with no
# probes and no checks beyond the sha256 of each download. Runs as root in a
# fresh container; user steps run as dev. bench.py passes what the playbook
# resolved on its own fresh container (/root/bench-params.json: packages,
# downloads, clones, versions, commands) and a tar of the small files it wrote
# (/root/bench-files.tar), so both do the same work.
#
# Each step prints "@@step <name> <epoch seconds>"; bench.py times the steps.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
home=/home/dev
params=/root/bench-params.json
step() { echo "@@step $1 $(date +%s.%N)"; }
# A parameter: a string, or a list one item per line, or one field of each item of a list of objects.
param() { python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))[sys.argv[2]]
for item in value if isinstance(value, list) else [value]:
    print(item[sys.argv[3]] if len(sys.argv) > 3 else item)' "$params" "$@"; }
as_dev() { runuser -u dev -- env HOME="$home" PATH="$home/.local/bin:/usr/local/bin:/usr/bin:/bin" "$@"; }
mirror=$(param mirror)
# An upstream URL in the mirror's <host>/<path> layout (a URL already in the mirror as it is).
mirrored() { if [[ $1 == "$mirror"/* ]]; then echo "$1"; else echo "$mirror/${1#*://}"; fi; }

step trust
update-ca-certificates >/dev/null

step apt
apt-get update -qq
# Every package the playbook marked as installed, in one call, except those
# that come from a downloaded .deb (installed after the downloads).
mapfile -t packages < <(param apt_packages)
apt-get install -y -qq "${packages[@]}" >/dev/null

step downloads
mapfile -t urls < <(param downloads url)
mapfile -t dests < <(param downloads dest)
mapfile -t sums < <(param downloads sha256)
debs=()
for i in "${!urls[@]}"; do
  mkdir -p "$(dirname "${dests[$i]}")"
  curl -fsSL -o "${dests[$i]}" "$(mirrored "${urls[$i]}")"
  echo "${sums[$i]}  ${dests[$i]}" | sha256sum -c --quiet
  [[ ${dests[$i]} == *.deb ]] && debs+=("${dests[$i]}")
done
[ ${#debs[@]} -eq 0 ] || apt-get install -y -qq "${debs[@]}" >/dev/null

step installers
# The AWS CLI and SAM CLI zips: unpack, run the vendor's installer as the playbook did.
count=$(param installers zip | wc -l)
for ((i = 0; i < count; i++)); do
  zip=$(param installers zip | sed -n "$((i + 1))p")
  dir=$(param installers dir | sed -n "$((i + 1))p")
  mkdir -p "$dir" && unzip -q -o "$zip" -d "$dir"
  mapfile -t command < <(python3 -c 'import json, sys
print("\n".join(json.load(open(sys.argv[1]))["installers"][int(sys.argv[2])]["argv"]))' "$params" "$i")
  "${command[@]}" >/dev/null
done

step clones
mapfile -t repos < <(param clones repo)
mapfile -t versions < <(param clones version)
mapfile -t clone_dests < <(param clones dest)
for i in "${!repos[@]}"; do
  runner=(); [[ ${clone_dests[$i]} == "$home"/* ]] && runner=(as_dev)
  "${runner[@]}" git clone -q "$(mirrored "${repos[$i]}")" "${clone_dests[$i]}"
  "${runner[@]}" git -C "${clone_dests[$i]}" checkout -q "${versions[$i]}"
done

step files
tar -C / -xf /root/bench-files.tar
chown -R dev:dev "$home"

step links
# Dangling until the venvs below exist, as the playbook's links are for a moment.
mapfile -t sources < <(param links src)
mapfile -t link_dests < <(param links dest)
for i in "${!sources[@]}"; do
  runner=(); [[ ${link_dests[$i]} == "$home"/* ]] && runner=(as_dev)
  "${runner[@]}" mkdir -p "$(dirname "${link_dests[$i]}")"
  "${runner[@]}" ln -sfn "${sources[$i]}" "${link_dests[$i]}"
done

step python
version=$(param python_version)
as_dev mkdir -p "$home/.cache/smdev/python-build"
as_dev env PYENV_ROOT="$home/.pyenv" TMPDIR="$home/.cache/smdev/python-build" MAKE_OPTS="-j$(nproc)" \
  PYTHON_CONFIGURE_OPTS="$(param python_configure_opts)" PYTHON_BUILD_MIRROR_URL="$mirror/pyenv.github.io/pythons" \
  _PYTHON_BUILD_FORCE_SKIP_XZ=1 "$home/.pyenv/bin/pyenv" install --skip-existing "$version" >/dev/null
echo "$version" | as_dev tee "$home/.pyenv/version" >/dev/null
python="$home/.pyenv/versions/$version/bin/python"

step pipenv
pipx_venv="$home/.local/share/smdev/pipx-venv"
as_dev "$python" -m venv "$pipx_venv"
as_dev "$pipx_venv/bin/python" -m pip install --disable-pip-version-check --quiet "pipx==$(param pipx_version)"
as_dev env PIPX_BIN_DIR="$home/.local/bin" PIPX_HOME="$home/.local/share/pipx" \
  "$pipx_venv/bin/pipx" install --quiet --python "$python" "pipenv==$(param pipenv_version)"

step sam_cli
mapfile -t sam < <(param sam_argv)
[ ${#sam[@]} -eq 0 ] || as_dev env PIPX_BIN_DIR="$home/.local/bin" PIPX_HOME="$home/.local/share/pipx" \
  SAM_CLI_TELEMETRY=0 "${sam[@]}" >/dev/null

step sagemaker
workspace=$(param workspace)
(cd "$workspace" && as_dev env PIPENV_VENV_IN_PROJECT=1 PIPENV_PYTHON="$python" PIPENV_YES=1 \
  PIPENV_IGNORE_VIRTUALENVS=1 PIPENV_NOSPIN=1 PIPENV_VERBOSITY=-1 "$home/.local/bin/pipenv" lock >/dev/null 2>&1 \
  && as_dev env PIPENV_VENV_IN_PROJECT=1 PIPENV_YES=1 PIPENV_VERBOSITY=-1 "$home/.local/bin/pipenv" sync >/dev/null 2>&1)
mapfile -t kernel < <(param kernel_argv)
as_dev "${kernel[@]}" >/dev/null

step ide_tools
mapfile -t create < <(param tools_venv_argv)
as_dev "${create[@]}"
mapfile -t install < <(param tools_install_argv)
as_dev "${install[@]}" --quiet

step services
usermod -aG docker dev
systemctl daemon-reload
systemctl enable --now docker >/dev/null 2>&1
systemctl enable --now smdev-drift.timer >/dev/null 2>&1

step drift
venv=$(param drift_venv)
collection=$(param drift_collection)
/usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --quiet --no-compile \
  -r "$collection/requirements/runtime.txt" -c "$collection/requirements/constraints.txt"

step done
