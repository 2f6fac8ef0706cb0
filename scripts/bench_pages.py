"""What the map pages cost: bytes a phone downloads on a first visit, and server time.

On the benchmark database (the national boundaries, 83,246 desa/kelurahan, and the Kota
Kediri sample points), ``geoservice.app`` under uvicorn (one process), loopback:

- per page (/map, /map?kelurahan=..., /editor as a PIC, /review as the walidata): the HTML and
  every script and stylesheet it references, as gzip bytes on the wire (a first visit, empty
  cache); the data the page's script then fetches; and the server time to build the HTML
  (p50/p90 over --repeat requests);
- the kelurahan search: p50/p90 of ``GET /search`` for names and code prefixes;
- a PIC on a slow phone link (Chromium's network throttling: 400 kbit/s down and up, 400 ms
  round trip): seconds from pressing *Masuk* to an editor whose points are loaded, on a cold
  cache and on a warm one, with the requests each made and how many of them reached the
  server for a static asset (a warm visit should make none: versioned, immutable URLs).
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Any

import httpx
from bench_common import free_port, national_engine, percentiles, serve_geoservice, stop
from bench_writes import BENCH_PASSWORD, KELURAHAN, cleanup, prepare
from sqlalchemy import text

from geoservice.catalog import load_catalog
from geoservice.services import accounts, auth
from geoservice.settings import PROJECT_ROOT, Settings

PORT = free_port()  # beside a running service, and beside each other
P = (50, 90)  # the percentiles printed
GZIP = {"Accept-Encoding": "gzip"}
SEARCHES = ["bandar", "sukamaju", "harapan mulya", "35.71", "35.71.01.1001"]


def wire_bytes(client: httpx.Client, url: str, headers: dict[str, str] | None = None) -> int:
    """Bytes on the wire (compressed) of one GET."""
    with client.stream("GET", url, headers={**GZIP, **(headers or {})}) as response:
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return sum(len(chunk) for chunk in response.iter_raw())


def timings(client: httpx.Client, url: str, repeat: int, headers: dict[str, str]) -> list[float]:
    values = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, headers={**GZIP, **headers})
        values.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
    return values


#: The slow phone link of the measurement: 400 kbit/s each way, 400 ms round trip.
SLOW_LINK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}


def slow_link(base: str, username: str, password: str) -> None:
    """Seconds from *Masuk* to a usable editor on a slow link, cold and warm cache."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
        seen: dict[str, str] = {}  # request id -> URL of each response
        cached: set[str] = set()  # request ids served from the browser's cache

        def received(event: dict[str, Any]) -> None:
            seen[event["requestId"]] = event["response"]["url"]
            answer = event["response"]
            if answer.get("fromPrefetchCache") or answer.get("fromDiskCache"):
                cached.add(event["requestId"])

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
        for visit in ("cold", "warm"):
            if visit == "warm":  # signed out, then the same browser (its cache) signs in again
                page.goto(f"{base}/map")
                page.evaluate("() => document.querySelector('nav form.inline').submit()")
                page.wait_for_load_state("load")
            page.goto(f"{base}/login?next=/editor")
            # the seconds a PIC spends typing: the page's prefetches may finish meanwhile
            page.wait_for_load_state("networkidle")
            page.fill("#username", username)
            page.fill("#password", password)
            seen.clear()
            cached.clear()
            start = time.perf_counter()
            page.click("form.login button[type=submit]")
            page.wait_for_selector(
                "html[data-script-ready=editor]", state="attached", timeout=120_000
            )
            page.evaluate("() => window.geoserviceEditor.ready")
            seconds = time.perf_counter() - start
            static = [url for rid, url in seen.items() if "/static/" in url and rid not in cached]
            print(
                f"slow link (400 kbit/s, 400 ms), {visit} cache: editor usable {seconds:.1f} s "
                f"after Masuk; {len(seen)} requests, {len(set(seen) - cached)} reached the server, "
                f"{len(static)} of them for static assets"
            )
            if visit == "warm":
                for url in static:
                    print(f"  from the server: {url}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="requests per measurement")
    args = parser.parse_args()
    engine = national_engine()
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url)
    tokens = prepare(engine, settings)
    with engine.begin() as conn:
        accounts.add_user(conn, "bench.admin", "admin", BENCH_PASSWORD)
        admin = auth.create_token(conn, settings, "bench.admin", "bench")[1]
        kelurahan_count = conn.execute(
            text("SELECT count(*) FROM admin_area WHERE level = 4")
        ).scalar_one()
    pic = {"Authorization": f"Bearer {tokens[KELURAHAN[0]]}"}
    walidata = {"Authorization": f"Bearer {admin}"}
    layers = [layer.id for layer in load_catalog(PROJECT_ROOT / "layers")]
    server = serve_geoservice(url, PORT)
    base = f"http://127.0.0.1:{PORT}"
    editor_data = [f"/collections/{i}/items?kode={KELURAHAN[0]}&limit=10000" for i in layers]
    pages = {
        "/map": ({}, []),
        f"/map?kelurahan={KELURAHAN[0]}": ({}, ["bbox"]),
        "/editor": (pic, editor_data),
        "/review": (walidata, []),
    }  # fmt: skip
    print(f"{kelurahan_count:,} desa/kelurahan; {args.repeat} requests per timing; gzip on")
    print(f"{'page':32} {'HTML':>8} {'assets':>9} {'data':>8} {'first visit':>12}  server time")
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for path, (headers, data) in pages.items():
                response = client.get(path, headers={**GZIP, **headers})
                html_bytes = wire_bytes(client, path, headers)
                sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', response.text)
                asset_bytes = sum(wire_bytes(client, s) for s in sources)
                if data == ["bbox"]:
                    bbox = re.search(r'"bbox": \[([^\]]+)\]', response.text)
                    assert bbox is not None
                    box = ",".join(v.strip() for v in bbox.group(1).split(","))
                    data = [f"/collections/{lid}/items?bbox={box}&limit=2000" for lid in layers]
                data_bytes = sum(wire_bytes(client, d, headers) for d in data)
                total = html_bytes + asset_bytes + data_bytes
                times = timings(client, path, args.repeat, headers)
                print(
                    f"{path:32} {html_bytes / 1024:6.1f}KB {asset_bytes / 1024:7.1f}KB "
                    f"{data_bytes / 1024:6.1f}KB {total / 1024:10.1f}KB  {percentiles(times, P)}"
                )
            print()
            for query in SEARCHES:
                times = timings(client, f"/search?q={query}", args.repeat, {})
                found = len(client.get(f"/search?q={query}").json()["kelurahan"])
                print(f"search {query!r:18} {found:3} found  {percentiles(times, P)}")
        print()
        slow_link(base, "bench.pic0", BENCH_PASSWORD)
    finally:
        stop(server)
        cleanup(engine)


if __name__ == "__main__":
    main()
