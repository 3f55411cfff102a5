#!/bin/bash
# The files a user already has before their first `make laptop` (issue 11,
# user data survives): shell rc files, AWS CLI config and credentials, SSH
# config, VS Code settings, and a daemon.json. Run as root with the user's
# name; molecule/laptop/tests/test_user_data.py checks them after the
# playbook and its drift runs. Used by the laptop scenario's prepare and by
# the harness's newcomer run.
set -eu
user="$1"
home=$(getent passwd "$user" | cut -d: -f6)
as_user() { runuser -u "$user" -- "$@"; }

as_user sh -c "printf '%s\n' '# dev own bashrc line' 'export DEV_OWN_BASHRC=1' >> '$home/.bashrc'"
as_user sh -c "printf '%s\n' '# dev own zshrc' 'export DEV_OWN_ZSHRC=1' > '$home/.zshrc'"

as_user install -d -m 0700 "$home/.aws" "$home/.ssh" "$home/.config/Code/User"
as_user sh -c "cat > '$home/.aws/config'" <<'CONFIG'
# dev's own comment, above their own profiles
[default]
region = eu-central-1
output = json

[profile legacy-keys]
# keys from ~/.aws/credentials, as before Identity Center
region = us-east-1
credential_process = /usr/local/bin/get-legacy-creds
CONFIG
as_user sh -c "umask 077; cat > '$home/.aws/credentials'" <<'CREDENTIALS'
[legacy-keys]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
CREDENTIALS
as_user sh -c "umask 077; cat > '$home/.ssh/config'" <<'SSH'
# dev's own hosts
Host bastion
    HostName bastion.example.com
    User dev
    IdentityFile ~/.ssh/id_ed25519
SSH
as_user sh -c "cat > '$home/.config/Code/User/settings.json'" <<'SETTINGS'
// dev's own comment
{
    "editor.fontSize": 15, // dev's font size
    "workbench.colorTheme": "Solarized Dark",
}
SETTINGS

install -d -m 0755 /etc/docker
cat > /etc/docker/daemon.json <<'DAEMON'
{
  "labels": ["owner=dev"]
}
DAEMON
