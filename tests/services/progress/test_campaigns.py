"""Campaign files are validated with the layers: the samples load; a wrong target, field,
attribute or a second campaign on one target is an error naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geoservice.catalog import CatalogError, load_catalog
from geoservice.services.progress.campaigns import scope_patterns
from geoservice.settings import PROJECT_ROOT


def _layers(tmp_path: Path, **campaigns: str) -> Path:
    folder = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", folder, ignore=shutil.ignore_patterns("campaigns"))
    (folder / "campaigns").mkdir()
    for name, body in campaigns.items():
        (folder / "campaigns" / f"{name}.yaml").write_text(f"id: {name}\n{body}")
    return folder


def test_the_sample_campaigns_load_and_say_they_are_samples() -> None:
    catalog = load_catalog(PROJECT_ROOT / "layers")
    assert set(catalog.campaigns) == {"pendataan_posyandu", "pendataan_rt",
                                      "profil_kelurahan_tahunan"}  # fmt: skip
    rt = catalog.campaigns["pendataan_rt"]
    assert rt.kind(catalog) == "layer" and rt.expected_form(catalog) == "profil_kelurahan"
    assert catalog.campaigns["profil_kelurahan_tahunan"].kind(catalog) == "profile"
    assert all(c.sample and "contoh" in c.title.id for c in catalog.campaigns.values())
    assert scope_patterns(rt) == "35.71.%"


BASE = "title: {id: Uji}\ndue: 2026-01-31\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (BASE + "target: sekolah\n", "target: 'sekolah' is neither a layer nor a form"),
        (BASE + "target: rt\nexpected: {from_profile: jumlah_sekolah}\n",
         "expected.from_profile: no single profile form has the field 'jumlah_sekolah'"),
        (BASE + "target: rt\nexpected: {from_profile: batas_utara}\n",
         "expected.from_profile: 'batas_utara' is not an integer field"),
        (BASE + "target: rt\nnumbering: {number: nama}\n",
         "numbering.number: 'nama' is not an integer attribute"),
        (BASE + "target: rt\nfrekuensi: weekly\n", "frekuensi"),
        (BASE + "target: rt\nscope: ['35.7x']\n", "scope.0"),
        (BASE + "target: rt\nwarna: merah\n", "warna: unknown key"),
    ],
)  # fmt: skip
def test_a_wrong_campaign_names_its_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(_layers(tmp_path, uji=body))
    assert "campaigns/uji.yaml" in str(caught.value) and message in str(caught.value)


def test_two_campaigns_may_not_share_a_target(tmp_path: Path) -> None:
    folder = _layers(tmp_path, satu=BASE + "target: rt\n", dua=BASE + "target: rt\n")
    with pytest.raises(CatalogError, match="target: 'rt' has a campaign already"):
        load_catalog(folder)
