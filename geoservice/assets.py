"""Browser assets that no Python package ships: fetched from the npm registry by the setup,
checked against the integrity hash pinned here, and served by the service at ``/static/vendor``.

Leaflet itself comes from the XStatic-Leaflet PyPI package (``/static/leaflet``). The Leaflet
plugins the map pages need have no XStatic package, so ``geoservice assets install`` (run by
``./scripts/run`` and ``./scripts/test``) downloads their npm tarballs once, verifies each one
against its pinned ``sha512`` (npm's ``dist.integrity``), and unpacks only the files listed.
Nothing is fetched at run time and nothing comes from a CDN.

The same pinning installs the developer tools that come from npm (``TOOLS``: biome, the formatter
and linter of the pages' JavaScript) under ``.geoservice/tools`` (``scripts/lib/install_tools.py``);
``./scripts/test`` and the pre-commit hooks run them from there. They are never served.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
#: URL prefix the service serves the installed packages under.
URL_PREFIX = "static/vendor"


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm package and the files of it the pages use."""

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def folder(self) -> str:
        """Directory name under the assets folder (the name without its npm scope)."""
        return self.name.rsplit("/", 1)[-1]

    @property
    def tarball(self) -> str:
        """The registry URL of the package's tarball."""
        return f"{REGISTRY}/{self.name}/-/{self.folder}-{self.version}.tgz"

    @property
    def stamp(self) -> str:
        """What the install marker holds: a new version or hash reinstalls."""
        return f"{self.name}@{self.version} {self.integrity}\n"

    def url(self, base: str, file: str) -> str:
        """Where the service serves ``file`` of this package, under ``base``."""
        if file not in self.files:
            raise KeyError(f"{file} is not an installed file of {self.name}")
        # the version in the URL lets browsers keep the file for good (web/static.py)
        return f"{base}{URL_PREFIX}/{self.folder}/{file}?v={self.version}"


GEOMAN = NpmPackage(
    name="@geoman-io/leaflet-geoman-free",
    version="2.20.2",
    integrity="sha512-KQpSe0VKyuVCudq/08rMjJW1vvIwFldTwBny2wZ7ABcyyUAP7/eoFo967hCu9yRqAAHb4QOxC6gY5dGqttY68g==",
    files=("dist/leaflet-geoman.min.js", "dist/leaflet-geoman.css", "LICENSE"),
)
VECTORGRID = NpmPackage(
    name="leaflet.vectorgrid",
    version="1.3.0",
    integrity="sha512-kWmj1pKM+MVdo/7Mg5zsB3YrGZvo/uIuiANV9MvWUFOG+Y2xAJzrteDhoIcCgTjHSSRJ36xdeGdIQVhuWjnCZw==",
    files=("dist/Leaflet.VectorGrid.bundled.min.js", "package.json"),
)
#: MapLibre GL JS, for the web maps of portals that embed the service's style (and the test
#: that renders it from another origin).
MAPLIBRE = NpmPackage(
    name="maplibre-gl",
    version="5.6.0",
    integrity="sha512-7TuHMozUC4rlIp08bSsxCixFn18P24otrlZU/7UGCO5RufFTJadFzauTrvBHr9FB67MbJ6nvFXEftGd0bUl4Iw==",
    files=("dist/maplibre-gl.js", "dist/maplibre-gl.css", "LICENSE.txt"),
)
#: Swagger UI for ``/docs`` (FastAPI would load it from a CDN).
SWAGGER_UI = NpmPackage(
    name="swagger-ui-dist",
    version="5.35.0",
    integrity="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
    files=("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"),
)
PACKAGES = (GEOMAN, VECTORGRID, MAPLIBRE, SWAGGER_UI)

#: Biome's binary for Linux on x86-64 (the platform package the ``@biomejs/biome`` wrapper would
#: pick; taken directly, so no Node.js is needed). Upgrade: the version's ``dist.integrity`` from
#: https://registry.npmjs.org/@biomejs/cli-linux-x64/<version>, and ``$schema`` in biome.jsonc.
BIOME = NpmPackage(
    name="@biomejs/cli-linux-x64",
    version="2.6.9",
    integrity="sha512-uVrqS0HDjRzFlx88ZpfmlZvJ+xIwTU+110vunzrYvZQ5OqXl/1ugMTNvAs61hejH7jh7iequKJwagRVarrYcSQ==",
    files=("biome", "package.json"),
)
#: Developer tools, installed by ``./scripts/test`` under ``.geoservice/tools``, not served.
TOOLS = (BIOME,)


class AssetError(RuntimeError):
    """A package could not be fetched, or its tarball does not match the pinned hash."""


def missing(target: Path, packages: tuple[NpmPackage, ...] = PACKAGES) -> list[NpmPackage]:
    """The packages not installed (at their pinned version) under ``target``."""
    return [p for p in packages if not _installed(target, p)]


def install(
    target: Path, packages: tuple[NpmPackage, ...] = PACKAGES, timeout: float = 60
) -> list[NpmPackage]:
    """Install every missing package under ``target``; returns those it installed.

    Each package is unpacked into a temporary folder and moved into place only when complete,
    so an interrupted install leaves nothing half-written behind.
    """
    installed = []
    target.mkdir(parents=True, exist_ok=True)
    for package in missing(target, packages):
        try:
            with urllib.request.urlopen(package.tarball, timeout=timeout) as response:
                data = response.read()
        except OSError as exc:
            raise AssetError(f"cannot download {package.tarball}: {exc}") from exc
        check_integrity(package, data)
        with tempfile.TemporaryDirectory(dir=target) as scratch:
            staged = Path(scratch) / package.folder
            _unpack(package, data, staged)
            (staged / ".installed").write_text(package.stamp)
            final = target / package.folder
            if final.exists():
                shutil.rmtree(final)
            staged.rename(final)
        installed.append(package)
    return installed


def check_integrity(package: NpmPackage, data: bytes) -> None:
    """Raise AssetError unless ``data`` has the package's pinned sha512."""
    algorithm, _, expected = package.integrity.partition("-")
    if algorithm != "sha512":
        raise AssetError(f"{package.name}: unsupported integrity algorithm {algorithm}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise AssetError(
            f"{package.name}@{package.version}: the downloaded tarball does not match the pinned "
            f"integrity (sha512-{actual}); refusing to install it"
        )


def _installed(target: Path, package: NpmPackage) -> bool:
    marker = target / package.folder / ".installed"
    return marker.is_file() and marker.read_text() == package.stamp


def _unpack(package: NpmPackage, data: bytes, staged: Path) -> None:
    """Write the listed files of the tarball (which keeps them under ``package/``)."""
    wanted = {f"package/{name}": name for name in package.files}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = wanted.pop(member.name, None)
            if name is None or not member.isfile():
                continue
            source = archive.extractfile(member)
            assert source is not None  # a regular file
            path = staged / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source.read())
            if member.mode & 0o100:  # a program (biome): executable, as the tarball says
                path.chmod(0o755)
    if wanted:
        raise AssetError(f"{package.name}@{package.version} lacks {', '.join(wanted.values())}")
