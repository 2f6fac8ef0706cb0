"""A Kota Kediri database with one account per role and points placed for the editing tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geoservice.services import accounts, auth
from geoservice.settings import Settings
from tests.factories import fresh_demo

#: Bandar Lor belongs to the PIC "pic.own"; Semampir to "pic.other".
OWN = "35.71.01.1001"
OTHER = "35.71.02.1001"
PASSWORD = "uji-kata-sandi-2026"
ROLES = ("anonymous", "pic_own", "pic_other", "planner", "admin")
#: the content type of a GeoJSON request body
GEOJSON = {"Content-Type": "application/geo+json"}
USERS = {
    "pic_own": ("pic.own", "pic", [OWN]),
    "pic_other": ("pic.other", "pic", [OTHER]),
    "planner": ("perencana.uji", "planner", []),
    "admin": ("admin.uji", "admin", []),
}


@dataclass
class World:
    """Accounts with bearer tokens, and a free spot in each kelurahan."""

    engine: Engine
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)
    spots: dict[str, Iterator[tuple[float, float]]] = field(default_factory=dict)

    def headers(self, role: str, **extra: str) -> dict[str, str]:
        """Authorization for ``role`` (none for anonymous) plus ``extra``."""
        found = {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}
        return {**found, **extra}

    def spot(self, kelurahan: str = OWN) -> tuple[float, float]:
        """A new position inside ``kelurahan``, 60 m or more from the previous ones."""
        return next(self.spots[kelurahan])

    def point(
        self,
        kelurahan: str = OWN,
        status: str = "verified",
        layer: str = "posyandu",
        deleted: bool = False,
        **attributes: Any,
    ) -> int:
        """A point stored directly (as an import would), returning its id."""
        lon, lat = self.spot(kelurahan)
        attributes = attributes or {"nama": f"Posyandu Uji {lon:.5f}"}
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    text(
                        "INSERT INTO facility (layer_id, geom, attributes, status, created_by,"
                        " updated_by, deleted_at) VALUES (:l, ST_SetSRID(ST_MakePoint(:x, :y),"
                        " 4326), CAST(:a AS jsonb), :s, 'uji', 'uji',"
                        " CASE WHEN :d THEN now() END) RETURNING id"
                    ),
                    {
                        "l": layer,
                        "x": lon,
                        "y": lat,
                        "a": json.dumps(attributes),
                        "s": status,
                        "d": deleted,
                    },
                ).scalar_one()
            )

    def version(self, feature_id: int) -> int:
        """The stored version of a point."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT version FROM facility WHERE id = :i"), {"i": feature_id}
                ).scalar_one()
            )


_GRID = """
SELECT ST_X(p.geom), ST_Y(p.geom)
  FROM admin_area a,
       ST_SquareGrid(0.0006, ST_Buffer(a.geom, -0.0006)) AS g,
       LATERAL (SELECT ST_Centroid(g.geom) AS geom) AS p
 WHERE a.code = :code AND ST_Covers(ST_Buffer(a.geom, -0.0006), p.geom)
 ORDER BY g.i, g.j
"""


def build_world(engine: Engine, database_url: str) -> World:
    """Demo data (Kota Kediri with its sample points), one account and token per role."""
    fresh_demo(engine)
    settings = Settings(database_url=database_url)
    world = World(engine, settings)
    with engine.begin() as conn:
        for role, (username, kind, kelurahan) in USERS.items():
            accounts.add_user(conn, username, kind, PASSWORD, kelurahan=kelurahan)
            world.tokens[role] = auth.create_token(conn, settings, username, "tests")[1]
        for code in (OWN, OTHER):
            # grid cells 66 m apart, away from the sample points (no near-duplicates by chance)
            cells = conn.execute(text(_GRID), {"code": code}).all()
            world.spots[code] = iter([(float(x), float(y)) for x, y in cells])
    return world


def feature(lon: float, lat: float, **properties: Any) -> dict[str, Any]:
    """A GeoJSON point feature."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def sign_in(
    client: TestClient, username: str, password: str = PASSWORD, next_path: str = "/collections"
) -> httpx.Response:
    """Sign ``client`` in through the login form (its CSRF token included)."""
    page = client.get(f"/login?next={next_path}")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": token.group(1),
            "next": next_path,
        },
        follow_redirects=False,
    )
