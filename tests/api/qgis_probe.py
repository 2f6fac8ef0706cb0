"""Run by Debian's ``/usr/bin/python3`` (not the venv) with ``QT_QPA_PLATFORM=offscreen``:
QGIS loads an OGC API - Features layer of a live service, anonymously and signed in with
HTTP Basic (a "Basic" configuration in a temporary authentication database), reads its
features and renders it. Prints what it found as one JSON object (see tests/api/test_qgis.py).

Usage: qgis_probe.py URL COLLECTION USERNAME TOKEN WORK_DIR
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def step(name: str) -> None:
    """Say on stderr how far the probe got (a crash in QGIS leaves no traceback)."""
    sys.stderr.write(f"qgis_probe: {name}\n")
    sys.stderr.flush()


def main(url: str, collection: str, username: str, token: str, work: Path) -> dict[str, Any]:
    """Load, read and render ``collection`` anonymously and as ``username``."""
    # before QGIS starts: its profile and authentication database in the work folder
    os.environ["QGIS_AUTH_DB_DIR_PATH"] = str(work / "auth")
    (work / "auth").mkdir(parents=True, exist_ok=True)
    from qgis.core import (
        Qgis,
        QgsApplication,
        QgsAuthMethodConfig,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsProviderRegistry,
        QgsVectorDataProvider,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize, QVariant
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication([], False, str(work / "profile"))
    app.initQgis()
    out: dict[str, Any] = {
        "version": Qgis.QGIS_VERSION,
        "providers": sorted(QgsProviderRegistry.instance().providerList()),
    }

    def value(cell: Any) -> str | None:
        """A cell as text; QGIS's NULL (a null QVariant) as None."""
        if cell is None or (isinstance(cell, QVariant) and cell.isNull()):
            return None
        return str(cell)

    def read(layer: QgsVectorLayer) -> dict[str, Any]:
        names = layer.fields().names()
        features = [{n: value(f[n]) for n in names} for f in layer.getFeatures()]
        return {
            "valid": layer.isValid(),
            "error": layer.error().summary() if not layer.isValid() else "",
            "fields": names,
            "count": len(features),
            "features": features,
        }

    def render(layer: QgsVectorLayer, path: Path) -> int:
        """Pixels the layer painted on a transparent 256 x 256 image."""
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(layer.crs())
        settings.setExtent(layer.extent().buffered(0.001))
        settings.setOutputSize(QSize(256, 256))
        settings.setBackgroundColor(QColor(0, 0, 0, 0))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        image.save(str(path))
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 0
        )

    step("started")
    source = f"url='{url}' typename='{collection}' restrictToRequestBBOX='0'"
    anonymous = QgsVectorLayer(source, f"{collection} (anonim)", "OAPIF")
    out["anonymous"] = read(anonymous)
    step("anonymous layer read")
    out["anonymous"]["painted"] = (
        render(anonymous, work / "anonymous.png") if anonymous.isValid() else 0
    )

    step("anonymous layer rendered")
    manager = QgsApplication.authManager()
    out["auth_disabled"] = manager.isDisabled()
    manager.setMasterPassword("kata-sandi-induk-uji", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("geoservice")
    config.setConfig("username", username)
    config.setConfig("password", token)
    stored = manager.storeAuthenticationConfig(config)
    out["auth_stored"] = bool(stored[0] if isinstance(stored, tuple) else stored)
    step("authentication configuration stored")
    signed_in = QgsVectorLayer(
        f"{source} authcfg='{config.id()}'", f"{collection} ({username})", "OAPIF"
    )
    out["signed_in"] = read(signed_in)
    step("signed-in layer read")
    writes = (
        QgsVectorDataProvider.AddFeatures
        | QgsVectorDataProvider.ChangeAttributeValues
        | QgsVectorDataProvider.DeleteFeatures
    )
    out["editable"] = bool(signed_in.dataProvider().capabilities() & writes)
    return out


if __name__ == "__main__":
    url, collection, username, token, work = sys.argv[1:6]
    result = main(url, collection, username, token, Path(work))
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    # QGIS's exit (exitQgis, then Python's collection of its objects) can crash once the
    # work is done; the answer is written, so the process ends here
    os._exit(0)
