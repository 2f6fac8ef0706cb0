"""The npm assets of the map pages: pinned, hash-checked, unpacked only as listed, once."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from geoservice import assets


def _tarball(files: dict[str, bytes], programs: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            info.mode = 0o755 if name in programs else 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _registry(tmp_path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file:// registry holding ``data`` as demo-plugin 1.0.0."""
    folder = tmp_path / "registry" / "demo-plugin" / "-"
    folder.mkdir(parents=True)
    (folder / "demo-plugin-1.0.0.tgz").write_bytes(data)
    monkeypatch.setattr(assets, "REGISTRY", (tmp_path / "registry").as_uri())


def _package(data: bytes, files: tuple[str, ...] = ("dist/plugin.js",)) -> assets.NpmPackage:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    return assets.NpmPackage("demo-plugin", "1.0.0", f"sha512-{digest}", files)


def test_install_unpacks_only_the_listed_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _tarball({"dist/plugin.js": b"L.plugin = 1;", "docs/huge.html": b"<html>"})
    _registry(tmp_path, data, monkeypatch)
    package = _package(data)
    target = tmp_path / "assets"
    assert assets.install(target, (package,)) == [package]
    assert (target / "demo-plugin/dist/plugin.js").read_bytes() == b"L.plugin = 1;"
    assert not (target / "demo-plugin/docs").exists()
    assert assets.missing(target, (package,)) == []
    assert assets.install(target, (package,)) == []  # installed: nothing fetched again
    assert package.url("http://h/", "dist/plugin.js") == (
        "http://h/static/vendor/demo-plugin/dist/plugin.js?v=1.0.0"
    )


def test_a_tarball_that_does_not_match_its_pin_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned = _tarball({"dist/plugin.js": b"L.plugin = 1;"})
    _registry(tmp_path, _tarball({"dist/plugin.js": b"stealCookies();"}), monkeypatch)
    target = tmp_path / "assets"
    with pytest.raises(assets.AssetError, match="does not match the pinned integrity"):
        assets.install(target, (_package(pinned),))
    assert not (target / "demo-plugin").exists()


def test_a_package_lacking_a_listed_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _tarball({"dist/other.js": b"1"})
    _registry(tmp_path, data, monkeypatch)
    with pytest.raises(assets.AssetError, match="lacks dist/plugin.js"):
        assets.install(tmp_path / "assets", (_package(data),))
    assert not (tmp_path / "assets" / "demo-plugin").exists()


def test_a_program_of_a_tool_stays_executable_and_nothing_else_becomes_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _tarball({"biome": b"\x7fELF", "package.json": b"{}"}, programs=("biome",))
    _registry(tmp_path, data, monkeypatch)
    package = _package(data, files=("biome", "package.json"))
    assert assets.install(tmp_path / "tools", (package,)) == [package]
    folder = tmp_path / "tools" / "demo-plugin"
    assert (folder / "biome").stat().st_mode & 0o111 == 0o111
    assert (folder / "package.json").stat().st_mode & 0o111 == 0


def test_the_developer_tools_are_pinned_like_the_assets() -> None:
    assert assets.BIOME in assets.TOOLS and assets.BIOME not in assets.PACKAGES
    assert assets.BIOME.integrity.startswith("sha512-") and "biome" in assets.BIOME.files


def test_the_pinned_packages_are_installed_by_the_setup() -> None:
    from geoservice.settings import Settings

    assert assets.missing(Settings().assets_dir) == []
