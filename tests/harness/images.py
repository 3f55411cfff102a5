"""Base images for the molecule scenarios, built with debootstrap + docker import.

No container registry answers here, so every platform image is bootstrapped
from its distribution's apt archive. An image is tagged with a hash of its
recipe (this file included), so a second `make test` reuses it and any change
to the recipe rebuilds it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.harness.engine import HarnessError
from tests.harness.log import say

IMAGE_REPO = "smdev-test"
BASE_PACKAGES = ("python3", "sudo", "systemd", "systemd-sysv", "ca-certificates")
TEST_USER = "dev"
# The test user's sudo password: a laptop user has one, so the scenarios
# become root with a password, as `make laptop -K` does.
TEST_USER_PASSWORD = "dev"  # noqa: S105 - a throwaway container account


@dataclass(frozen=True)
class Platform:
    """One test platform: what debootstrap needs to build it."""

    name: str
    suite: str
    mirror: str
    components: str
    required: bool
    script: str = ""
    keyring_package: str = ""
    keyring_file: str = ""

    def recipe_hash(self) -> str:
        """Hash of everything that shapes the image, the code that builds it included."""
        digest = hashlib.sha256()
        digest.update(json.dumps(asdict(self), sort_keys=True).encode())
        digest.update(json.dumps([BASE_PACKAGES, TEST_USER, TEST_USER_PASSWORD]).encode())
        for builder in (fetch_keyring, customise, build):
            digest.update(inspect.getsource(builder).encode())
        return digest.hexdigest()[:12]

    @property
    def tag(self) -> str:
        return f"{IMAGE_REPO}/{self.name}:{self.recipe_hash()}"


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        name="debian12",
        suite="bookworm",
        mirror="http://deb.debian.org/debian",
        components="main",
        required=True,
    ),
    Platform(
        name="ubuntu2404",
        suite="noble",
        mirror="http://archive.ubuntu.com/ubuntu",
        components="main,universe",
        required=False,
        # Debian 12's debootstrap has no `noble` script; every Ubuntu suite
        # since gutsy uses the same one.
        script="/usr/share/debootstrap/scripts/gutsy",
        # Debian 12 does not ship Ubuntu's archive key; Debian 13 does, signed
        # by Debian's archive key, which this host already trusts.
        keyring_package="ubuntu-keyring",
        keyring_file="usr/share/keyrings/ubuntu-archive-keyring.gpg",
    ),
)


def archive_answers(platform: Platform, timeout: float = 15) -> str:
    """Return "" when the platform's archive answers, else the reason it does not."""
    url = f"{platform.mirror}/dists/{platform.suite}/Release"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed http(s) URL
            response.read(1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return f"{url} did not answer ({error})"
    return ""


def image_exists(tag: str) -> bool:
    result = subprocess.run(
        ["docker", "image", "inspect", tag], capture_output=True, check=False
    )
    return result.returncode == 0


def fetch_keyring(platform: Platform, workdir: Path) -> Path:
    """Extract the platform's archive keyring from Debian 13's signed archive."""
    apt_dir = workdir / "apt"
    for sub in ("lists/partial", "cache/archives/partial"):
        (apt_dir / sub).mkdir(parents=True, exist_ok=True)
    sources = apt_dir / "sources.list"
    sources.write_text(
        "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        "http://deb.debian.org/debian trixie main\n"
    )
    options = [
        "-o", f"Dir::Etc::SourceList={sources}",
        "-o", "Dir::Etc::SourceParts=/nonexistent",
        "-o", f"Dir::State::Lists={apt_dir / 'lists'}",
        "-o", f"Dir::Cache={apt_dir / 'cache'}",
        "-o", "APT::Get::List-Cleanup=0",
        "-o", "APT::Sandbox::User=root",
        "-qq",
    ]
    subprocess.run(["apt-get", *options, "update"], check=True)
    subprocess.run(
        ["apt-get", *options, "download", platform.keyring_package],
        check=True,
        cwd=workdir,
    )
    deb = next(workdir.glob(f"{platform.keyring_package}_*.deb"))
    extracted = workdir / "keyring"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(extracted)], check=True)
    return extracted / platform.keyring_file


def customise(root: Path) -> None:
    """Make the bootstrapped tree look like a fresh install with one sudo user."""

    def chroot(*argv: str, stdin: str | None = None) -> None:
        subprocess.run(["chroot", str(root), *argv], input=stdin, text=True, check=True)

    chroot("useradd", "--create-home", "--shell", "/bin/bash", "--groups", "sudo", TEST_USER)
    chroot("chpasswd", stdin=f"{TEST_USER}:{TEST_USER_PASSWORD}\n")
    # systemd generates a fresh machine id on first boot, as on a new machine.
    (root / "etc/machine-id").write_text("")
    # A fresh cloud or laptop image has no package lists until apt-get update.
    shutil.rmtree(root / "var/lib/apt/lists", ignore_errors=True)
    (root / "var/lib/apt/lists/partial").mkdir(parents=True)
    for cache in (root / "var/cache/apt").glob("*.bin"):
        cache.unlink()
    shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
    (root / "var/cache/apt/archives/partial").mkdir(parents=True)


def build(platform: Platform, log_path: Path) -> None:
    """Bootstrap the platform into a temp dir and import it as platform.tag."""
    with tempfile.TemporaryDirectory(prefix=f"smdev-image-{platform.name}-") as tmp:
        workdir = Path(tmp)
        root = workdir / "root"
        argv = [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(BASE_PACKAGES)}",
            f"--components={platform.components}",
        ]
        if platform.keyring_package:
            argv.append(f"--keyring={fetch_keyring(platform, workdir)}")
        argv += [platform.suite, str(root), platform.mirror]
        if platform.script:
            argv.append(platform.script)
        with log_path.open("w") as log:
            subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, check=True)
        customise(root)
        tar = subprocess.Popen(
            ["tar", "--numeric-owner", "-C", str(root), "-c", "."], stdout=subprocess.PIPE
        )
        subprocess.run(
            [
                "docker", "import",
                "--change", 'CMD ["/lib/systemd/systemd"]',
                "--change", f"LABEL smdev.recipe={platform.recipe_hash()}",
                "-", platform.tag,
            ],
            stdin=tar.stdout,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        if tar.wait() != 0:
            raise RuntimeError(f"tar of the {platform.name} tree failed")
    subprocess.run(
        ["docker", "tag", platform.tag, f"{IMAGE_REPO}/{platform.name}:latest"], check=True
    )


def ensure(platform: Platform, log_dir: Path) -> str:
    """Return the image tag, building it only when no image has this recipe."""
    if image_exists(platform.tag):
        say(f"image {platform.tag}: cached, reused")
        return platform.tag
    if os.geteuid() != 0:
        raise HarnessError(
            f"the {platform.name} base image must be built, and debootstrap needs root: "
            "run `sudo make test` once; later runs reuse the image"
        )
    say(f"image {platform.tag}: building with debootstrap (about a minute)")
    build(platform, log_dir / f"image-{platform.name}.log")
    return platform.tag
