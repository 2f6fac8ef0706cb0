"""Property-based API testing from our own OpenAPI document: no input may cause a 5xx."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from geoservice.app import create_app
from geoservice.db.session import make_engine
from geoservice.settings import PROJECT_ROOT, Settings
from tests.factories import fresh_demo

EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


@pytest.fixture(scope="module")
def api_app(database_url: str) -> Any:
    engine = make_engine(database_url)
    fresh_demo(engine)
    engine.dispose()
    return create_app(Settings(database_url=database_url, layers_dir=PROJECT_ROOT / "layers"))


def _path_parameters(path: str) -> list[dict[str, str] | None]:
    if "{collectionId}" in path:
        return [None, {"collectionId": "kelurahan"}, {"collectionId": "posyandu"}]
    if path.startswith("/indicators/{code}"):
        return [None, {"code": "persen_miskin"}, {"code": "balita_stunting"}]
    return [None]


def test_no_server_errors(api_app: Any) -> None:
    with TestClient(api_app) as client:
        schema = schemathesis.openapi.from_asgi("/openapi.json", api_app)
        operations = [result.ok() for result in schema.get_all_operations()]
        statuses: list[int] = []
        assert len(operations) >= 8
        variants = [
            (operation, mode, fixed)
            for operation in operations
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
            # random ids only reach the 404; real ones reach the parameter checks
            for fixed in _path_parameters(operation.path)
        ]
        for operation, mode, fixed in variants:

            @given(case=operation.as_strategy(mode, path_parameters=fixed))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                response = client.request(
                    case.method, case.formatted_path, params=case.query, headers=case.headers
                )
                statuses.append(response.status_code)
                where = (case.method, case.formatted_path, case.query)
                assert response.status_code < 500, where
                if response.status_code >= 400:
                    assert response.headers["content-type"] == "application/problem+json", where

            try:
                check()
            except Unsatisfiable:
                # no invalid input exists for an operation without parameters
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.path
    # the generator really exercised the API, valid and invalid inputs alike
    assert len(statuses) >= 3 * len(variants)
    assert {200, 400, 404} <= set(statuses)
