#!/usr/bin/python
"""Ansible module: the collection's one way to download a pinned artifact."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: verified_download
short_description: Download a pinned file, verify it, and only then put it in place
description:
  - The single download mechanism of C(smdev.workstation). Every role that fetches
    something from outside calls this module.
  - The sha256 is always checked. Where upstream signs, the detached signature is
    checked against a public key whose primary-key fingerprint must equal the pin;
    an expired, revoked or different key is refused.
  - Verify before replace. The new file is written next to O(dest) and renamed over
    it only after every check passed, so a failed download leaves the previous file,
    and the tool built from it, untouched. Temporary files are always removed.
  - When O(mirror_url) is set, the upstream URL C(https://host/path) is fetched as
    C(<mirror_url>/host/path) instead (the layout C(wget --force-directories) makes).
  - Nothing is fetched when O(dest) already has the pinned sha256.
options:
  url:
    description: Upstream URL of the artifact, with its pinned version in it.
    type: str
    required: true
  dest:
    description: Where the verified file ends up.
    type: path
    required: true
  sha256:
    description: Expected sha256 of the artifact, 64 hex digits.
    type: str
    required: true
  mirror_url:
    description: Base URL of a mirror that replaces the upstream host. Empty means upstream.
    type: str
    default: ""
  signature_url:
    description: URL of a detached GPG signature of the artifact.
    type: str
    default: ""
  gpg_key:
    description: Path, on the managed host, of the ASCII-armored public key. Required with O(signature_url).
    type: path
  gpg_fingerprint:
    description: Pinned 40-hex-digit fingerprint of the signing primary key. Required with O(signature_url).
    type: str
    default: ""
  gpg_certifier_key:
    description:
      - Path, on the managed host, of the ASCII-armored public key that must have certified the signing key.
      - For upstreams that rotate their signing key under a long-lived primary key (the SAM CLI).
    type: path
  gpg_certifier_fingerprint:
    description: Pinned 40-hex-digit fingerprint of O(gpg_certifier_key). Required with it.
    type: str
    default: ""
  retries:
    description: How many times to retry after a failed attempt.
    type: int
    default: 3
  delay:
    description: Seconds to wait between attempts.
    type: float
    default: 2.0
  timeout:
    description: Seconds to wait for the server on each attempt.
    type: float
    default: 30.0
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
author:
  - smdev.workstation maintainers
"""

EXAMPLES = r"""
- name: Ensure the SAM CLI installer is downloaded and verified
  smdev.workstation.verified_download:
    url: "https://github.com/aws/aws-sam-cli/releases/download/v1.140.0/aws-sam-cli-linux-x86_64.zip"
    sha256: "{{ sam_cli_sha256 }}"
    signature_url: "https://github.com/aws/aws-sam-cli/releases/download/v1.140.0/aws-sam-cli-linux-x86_64.zip.sig"
    gpg_key: /usr/local/share/smdev/keys/sam-cli-signer.asc
    gpg_fingerprint: "{{ sam_cli_gpg_signer_fingerprint }}"
    gpg_certifier_key: /usr/local/share/smdev/keys/sam-cli-primary.asc
    gpg_certifier_fingerprint: "{{ sam_cli_gpg_primary_fingerprint }}"
    mirror_url: "{{ workstation_mirror_url }}"
    dest: /var/cache/smdev/aws-sam-cli-1.140.0.zip
    mode: "0644"
"""

RETURN = r"""
url:
  description: The URL actually fetched (after the mirror rewrite).
  returned: always
  type: str
dest:
  description: Path of the verified file.
  returned: always
  type: str
sha256:
  description: The verified sha256.
  returned: always
  type: str
attempts:
  description: Attempts used, when a download happened.
  returned: changed
  type: int
"""

import os
import urllib.parse

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.smdev.workstation.plugins.module_utils.verified_download import (
    FINGERPRINT_RE,
    SHA256_RE,
    DownloadError,
    download,
    normalise_fingerprint,
)

_URL_SCHEMES = ("http", "https", "file")


def _bad_input(params: dict) -> str:
    """Return what is wrong with the parameters, naming each, or ''."""
    problems = []
    for name in ("url", "mirror_url", "signature_url"):
        value = params[name]
        if name != "url" and not value:
            continue
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in _URL_SCHEMES or (parts.scheme != "file" and not parts.netloc):
            problems.append(f"{name} must be an http(s):// or file:// URL, got {value!r}")
    if not SHA256_RE.match(params["sha256"].lower()):
        problems.append(f"sha256 must be 64 hex digits, got {params['sha256']!r}")
    if params["signature_url"]:
        if not params["gpg_key"]:
            problems.append("gpg_key is required with signature_url")
        if not FINGERPRINT_RE.match(normalise_fingerprint(params["gpg_fingerprint"])):
            problems.append(
                f"gpg_fingerprint must be 40 hex digits, got {params['gpg_fingerprint']!r}"
            )
    certifier = normalise_fingerprint(params["gpg_certifier_fingerprint"])
    if params["gpg_certifier_key"] and not FINGERPRINT_RE.match(certifier):
        problems.append(
            f"gpg_certifier_fingerprint must be 40 hex digits, got {params['gpg_certifier_fingerprint']!r}"
        )
    for name in ("retries", "delay", "timeout"):
        if params[name] < 0 or (name == "timeout" and params[name] == 0):
            problems.append(f"{name} must be positive, got {params[name]!r}")
    return "; ".join(problems)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "url": {"type": "str", "required": True},
            "dest": {"type": "path", "required": True},
            "sha256": {"type": "str", "required": True},
            "mirror_url": {"type": "str", "default": ""},
            "signature_url": {"type": "str", "default": ""},
            "gpg_key": {"type": "path"},
            "gpg_fingerprint": {"type": "str", "default": ""},
            "gpg_certifier_key": {"type": "path"},
            "gpg_certifier_fingerprint": {"type": "str", "default": ""},
            "retries": {"type": "int", "default": 3},
            "delay": {"type": "float", "default": 2.0},
            "timeout": {"type": "float", "default": 30.0},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    # A password in a URL (user:token@host) is masked wherever the result shows it.
    for name in ("url", "mirror_url", "signature_url"):
        password = urllib.parse.urlsplit(module.params[name] or "").password
        if password:
            module.no_log_values.add(password)
    problem = _bad_input(module.params)
    if problem:
        module.fail_json(msg=f"verified_download: {problem}")
    params = module.params
    try:
        result = download(
            url=params["url"],
            dest=params["dest"],
            sha256=params["sha256"],
            mirror_url=params["mirror_url"],
            signature_url=params["signature_url"],
            gpg_key=params["gpg_key"] or "",
            gpg_fingerprint=params["gpg_fingerprint"],
            gpg_certifier_key=params["gpg_certifier_key"] or "",
            gpg_certifier_fingerprint=params["gpg_certifier_fingerprint"],
            retries=params["retries"],
            delay=params["delay"],
            timeout=params["timeout"],
            check_mode=module.check_mode,
        )
    except DownloadError as error:
        module.fail_json(
            msg=f"{error}. The previous file at {params['dest']}, if any, was left in place.",
            url=params["url"],
            dest=params["dest"],
        )
    if os.path.exists(params["dest"]):
        # set_fs_attributes_if_different honours check mode itself.
        file_args = module.load_file_common_arguments(params)
        result["changed"] = module.set_fs_attributes_if_different(file_args, result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
