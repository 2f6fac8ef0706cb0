"""Install the pinned developer tools (geoservice.assets.TOOLS) under the folder given.

Run by scripts/lib/setup.sh (``ensure_tools``); idempotent: a tool already installed at its
pinned version is not fetched again, and every tarball is checked against its pinned sha512.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from geoservice import assets


def main() -> int:
    """Install what is missing under ``sys.argv[1]``; 1 (and why) when that is not possible."""
    target = Path(sys.argv[1])
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        print(
            f"the pinned biome binary is for Linux x86-64, not {platform.system()} "
            f"{platform.machine()}: see BIOME in geoservice/assets.py",
            file=sys.stderr,
        )
        return 1
    try:
        done = assets.install(target, assets.TOOLS)
    except assets.AssetError as exc:
        print(exc, file=sys.stderr)
        return 1
    for package in done:
        print(f"installed {package.name}@{package.version} in {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
