"""Data the tests start from: empty tables, the demo (Kota Kediri and its sample points)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from geoservice.catalog import load_catalog
from geoservice.settings import PROJECT_ROOT


def empty_tables(engine: Engine) -> None:
    """Empty every data table (areas with their tile geometry, facilities, history, accounts)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE quality_decision, kelurahan_profile_history, kelurahan_profile, "
                "review_item, "
                "indicator_value, indicator_import, facility_history, "
                "facility, admin_area_generalized, user_kelurahan, "
                "web_session, api_token, login_failure, app_user, admin_area RESTART IDENTITY"
            )
        )


def fresh_demo(engine: Engine) -> None:
    """Empty tables, then the demo data (Kota Kediri and its sample points)."""
    from geoservice.demo import load_demo

    empty_tables(engine)
    load_demo(engine, load_catalog(PROJECT_ROOT / "layers"))
