"""Tiles and GeoJSON over HTTP on the national data, side by side with tipg and with the bare
SQL in PostgreSQL (the floor), in one run on this machine.

- geoservice: ``geoservice.app`` under uvicorn (one process, as ``geoservice serve`` runs it,
  without access log, as tipg here),
  once with the tile cache off (every tile built by PostGIS) and once with it warm;
- tipg (``TIPG_VERSION`` below) under uvicorn, one process, on a view of the same table;
- the floor: the SQL geoservice runs for each request, run by pgbench with the same number
  of connections and no HTTP at all: for tiles, as geoservice sends it (a prepared statement
  with the tile's values bound as parameters); for pages, with the values written into the
  SQL. The tile SQL with the values written in ("PostgreSQL literal": a prepared statement
  per tile, planned on its constants) is measured beside it for reference.

Load: wrk on loopback, a fixed list of paths requested round robin, for DURATION seconds each,
with the same threads and connections for everyone. The floor and uncached geoservice are
measured in alternation (ROUNDS times each list), so that both sides of a ratio see the same
machine; their table shows the medians. Prints requests/s and the ratios the issue sets targets
for. Usage: ./scripts/bench_api_national [--duration 15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_common import (
    INDONESIA,
    JAKARTA,
    KEDIRI,
    national_engine,
    serve,
    serve_geoservice,
    stop,
    tile_of,
)
from sqlalchemy import TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from geoservice.catalog import load_catalog
from geoservice.services import feature_query, features, tiles
from geoservice.services.viewer import Viewer
from geoservice.settings import PROJECT_ROOT, Settings

TIPG_VENV = PROJECT_ROOT / ".geoservice" / "bench" / "tipg"
THREADS, CONNECTIONS = 2, 4
PAGE_OFFSETS = [0, 20_000, 40_000, 60_000, 80_000]


def mixed_tiles() -> list[tuple[int, int, int]]:
    """Zooms 5 to 14 over Kota Kediri and Jakarta, and the national tiles of zooms 5 and 6."""
    chosen = {(5, *tile_of(*INDONESIA, 5)), (6, *tile_of(*INDONESIA, 6))}
    for z in range(5, 15):
        for place in (KEDIRI, JAKARTA):
            chosen.add((z, *tile_of(*place, z)))
    return sorted(chosen)


def z14_tiles() -> list[tuple[int, int, int]]:
    """Every zoom-14 tile over Kota Kediri."""
    (x0, y0), (x1, y1) = tile_of(111.95, -7.76, 14), tile_of(112.08, -7.88, 14)
    return [(14, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def wrk(base: str, paths: list[str], duration: int) -> tuple[float, int]:
    """Requests per second and the count of non-2xx/3xx answers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n")
        script.write(
            "i = math.random(#paths)\n"
            "request = function()\n  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\nend\n'
        )
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "-s", script.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, int(errors.group(1)) if errors else 0


@dataclass(frozen=True)
class Script:
    """One pgbench script: ``\\set`` lines, then one statement; ``defines`` are the text
    variables (pgbench ``-D``), the same in every script of a run."""

    sets: tuple[str, ...]
    statement: str
    defines: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        lines = [line for line in self.statement.splitlines() if not line.strip().startswith("--")]
        return (
            "".join(f"{line}\n" for line in self.sets) + " ".join(" ".join(lines).split()) + ";\n"
        )


def literal(query: TextClause, params: dict[str, Any]) -> Script:
    """``query`` with its values written into the text: PostgreSQL plans each tile on its own
    constants, which no server answering many tiles with one prepared statement can do."""
    compiled = query.bindparams(**params).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return Script((), str(compiled))


def bound(query: TextClause, params: dict[str, Any]) -> Script:
    """``query`` as geoservice sends it (its band a constant): a prepared statement with its
    values bound as parameters (pgbench variables: numbers by ``\\set``, booleans as 1/0,
    text by ``-D``)."""
    sets, defines = [], []
    for name, value in params.items():
        if isinstance(value, bool | int):
            sets.append(f"\\set {name} {int(value)}")
        elif isinstance(value, float):
            sets.append(f"\\set {name} {value!r}")
        elif isinstance(value, str):
            defines.append((name, value))
        else:
            raise TypeError(f"pgbench cannot bind {name}={value!r}")
    return Script(tuple(sets), tiles.rendered(query)[0], tuple(defines))


def pgbench(url: str, scripts: list[Script], duration: int) -> float:
    """Transactions per second of pgbench running ``scripts`` picked at random."""
    binary = shutil.which("pgbench") or next(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    u = make_url(url)
    # the service's connections run with jit=off (geoservice.db.session); so does the floor
    env = {**os.environ, "PGPASSWORD": u.password or "", "PGOPTIONS": "-c jit=off"}
    defines = sorted({d for script in scripts for d in script.defines})
    if len({name for name, _ in defines}) != len(defines):
        raise ValueError(f"text variables differ between scripts: {defines}")
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i, script in enumerate(scripts):
            path = Path(folder) / f"q{i}.sql"
            path.write_text(script.text())
            files += ["-f", str(path)]
        out = subprocess.run(
            [
                str(binary), "-n", "-M", "prepared", "-c", str(CONNECTIONS), "-j", str(THREADS),
                "-T", str(duration), "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432),
                "-U", u.username or "postgres", *(f"-D{n}={v}" for n, v in defines),
                *files, u.database or "",
            ],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"pgbench failed: {out.stderr[-2000:]}")
    return float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))  # type: ignore[union-attr]


def warm(base: str, paths: list[str]) -> None:
    for path in paths:
        urllib.request.urlopen(base + path, timeout=120).read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk/pgbench run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternations of the floor and uncached geoservice"
    )
    args = parser.parse_args()
    engine = national_engine()
    url = engine.url.render_as_string(hide_password=False)
    libpq_url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS bench_tipg"))
        conn.execute(
            text(
                "CREATE OR REPLACE VIEW bench_tipg.kelurahan AS SELECT code AS kode, "
                "name AS nama, kind AS jenis, geom FROM public.admin_area WHERE level = 4"
            )
        )
    catalog = load_catalog(Settings().layers_dir)
    kelurahan = features.resolve(catalog, "kelurahan")
    viewer = Viewer()
    mixed, z14 = mixed_tiles(), z14_tiles()

    def ours(z: int, x: int, y: int) -> str:
        return f"/collections/kelurahan/tiles/WebMercatorQuad/{z}/{x}/{y}"

    def theirs(z: int, x: int, y: int) -> str:
        return f"/collections/bench_tipg.kelurahan/tiles/WebMercatorQuad/{z}/{x}/{y}"

    pages_ours = [f"/collections/kelurahan/items?limit=1000&offset={o}" for o in PAGE_OFFSETS]
    pages_theirs = [
        f"/collections/bench_tipg.kelurahan/items?limit=1000&offset={o}" for o in PAGE_OFFSETS
    ]
    queries = {
        name: [tiles.tile_query(kelurahan, *t, viewer) for t in chosen]
        for name, chosen in (("mixed", mixed), ("z14", z14))
    }
    floor_pages = [
        Script(
            (),
            str(
                features.items_statement(
                    kelurahan, feature_query.ItemsQuery(limit=1000, offset=o), viewer
                ).compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
            ),
        )
        for o in PAGE_OFFSETS
    ]

    results: dict[str, dict[str, tuple[float, int]]] = {}
    print(f"{len(mixed)} tiles in the mixed list, {len(z14)} zoom-14 tiles, 1,000-feature pages")
    print(f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.duration}s; pgbench -c{CONNECTIONS}")

    # The floor and uncached geoservice alternate, list by list and round by round, so that the
    # drift of this machine's speed (40-80 % between runs) falls on both sides of each ratio.
    # The tile floor binds each tile's values as geoservice does; the same SQL with the values
    # written in (planned per tile on constants) is measured beside it for reference. The page
    # floor has its values written in.
    lists = {
        "mixed": ([bound(*q) for q in queries["mixed"]], [ours(*t) for t in mixed]),
        "z14": ([bound(*q) for q in queries["z14"]], [ours(*t) for t in z14]),
        "page": (floor_pages, pages_ours),
    }
    literal_tiles = {name: [literal(*q) for q in queries[name]] for name in ("mixed", "z14")}
    rounds: dict[str, list[tuple[float, tuple[float, int]]]] = {name: [] for name in lists}
    literal_rounds: dict[str, list[float]] = {name: [] for name in literal_tiles}
    print(f"the floor (pgbench) and uncached geoservice, alternating, {args.rounds} rounds ...")
    server = serve_geoservice(url, 8761, GEOSERVICE_TILE_CACHE_MB="0")
    try:
        for _ in range(args.rounds):
            for name, (scripts, paths) in lists.items():
                floor_rate = pgbench(url, scripts, args.duration)
                rounds[name].append(
                    (floor_rate, wrk("http://127.0.0.1:8761", paths, args.duration))
                )
                if name in literal_tiles:
                    literal_rounds[name].append(pgbench(url, literal_tiles[name], args.duration))
    finally:
        stop(server)
    results["PostgreSQL floor"] = {
        name: (statistics.median(f for f, _ in measured), 0) for name, measured in rounds.items()
    }
    results["PostgreSQL literal"] = {
        name: (statistics.median(rates), 0) for name, rates in literal_rounds.items()
    }
    results["geoservice"] = {
        name: (statistics.median(r for _, (r, _) in measured), sum(e for _, (_, e) in measured))
        for name, measured in rounds.items()
    }

    print("geoservice cached ...", flush=True)
    server = serve_geoservice(url, 8762, GEOSERVICE_TILE_CACHE_MB="256")
    base = "http://127.0.0.1:8762"
    try:
        warm(base, [ours(*t) for t in mixed + z14])
        results["geoservice cached"] = {
            "mixed": wrk(base, [ours(*t) for t in mixed], args.duration),
            "z14": wrk(base, [ours(*t) for t in z14], args.duration),
        }
    finally:
        stop(server)

    print("tipg ...", flush=True)
    server = serve(
        [str(TIPG_VENV / "bin/uvicorn"), "tipg.main:app", "--port", "8763",
         "--log-level", "warning", "--no-access-log"],
        {"DATABASE_URL": libpq_url, "TIPG_DB_SCHEMAS": '["bench_tipg"]'},
        8763,
    )  # fmt: skip
    try:
        base = "http://127.0.0.1:8763"
        results["tipg"] = {
            "mixed": wrk(base, [theirs(*t) for t in mixed], args.duration),
            "z14": wrk(base, [theirs(*t) for t in z14], args.duration),
            "page": wrk(base, pages_theirs, args.duration),
        }
        national = theirs(5, *tile_of(*INDONESIA, 5))
        started = time.perf_counter()
        size = len(urllib.request.urlopen(base + national, timeout=120).read())
        print(
            f"tipg national z5 tile: {size / 1024:.0f} KB in {time.perf_counter() - started:.2f} s"
        )
    finally:
        stop(server)

    print()
    print(f"{'contender':20} {'mixed tiles/s':>14} {'z14 tiles/s':>12} {'1k pages/s':>11}  errors")
    for label, row in results.items():
        cells = [f"{row[k][0]:.1f}" if k in row else "-" for k in ("mixed", "z14", "page")]
        errors = sum(e for _, e in row.values())
        print(f"{label:20} {cells[0]:>14} {cells[1]:>12} {cells[2]:>11}  {errors}")
    ours_, tipg_ = results["geoservice"], results["tipg"]
    print()
    print(
        f"uncached mixed list vs tipg:   {ours_['mixed'][0] / tipg_['mixed'][0]:.1f}x (target >= 3)"
    )
    for name, label, target in (
        ("z14", "z14 vs the floor", 0.5),
        ("page", "1,000-feature page vs floor", 0.7),
    ):
        ratios = [r / f for f, (r, _) in rounds[name]]
        each = ", ".join(f"{r:.2f}" for r in ratios)
        print(
            f"{label + ':':30} {statistics.median(ratios):.2f} (target >= {target}; median of"
            f" the rounds {each})"
        )
    ours_z14 = [r for _, (r, _) in rounds["z14"]]
    ratios = [r / f for f, r in zip(literal_rounds["z14"], ours_z14, strict=True)]
    print(
        f"{'z14 vs the literal SQL:':30} {statistics.median(ratios):.2f} (for reference; rounds"
        f" {', '.join(f'{r:.2f}' for r in ratios)})"
    )
    cached = results["geoservice cached"]["mixed"][0]
    print(f"cached tiles:                  {cached:.0f}/s (target >= 5,000)")


if __name__ == "__main__":
    main()
