"""Page latency at scale: the home page and every menu page of every demo login, on a city of 100,000 enterprises,
served by gunicorn on SQLite and on PostgreSQL, measured side by side with a trivial view.

    .venv/bin/python bench/bench_pages.py [--enterprises 100000] [--requests 20] [--no-pg] [--rebuild]

Each database gets the demo city built with `build-demo --enterprises N` (ledger, grids, logins, power, cases,
tips, market, oversight), cached: the SQLite deployment under --data-dir, the PostgreSQL one in the database of
--pg-url (default $BENCH_PAGES_PG_URL or postgres://postgres@127.0.0.1:5432/steelwatch_bench_pages), rebuilt with
--rebuild or when its enterprise count differs. Then `steelwatch serve` (gunicorn, one sync worker: requests
one at a time, so a figure is one request's own time) answers, for each demo login (a session made for it), the
home page, every page its menu links to, and for the ledger a deep page, a name search, an exact USCC lookup
and an enterprise page. Every page request is preceded by one request to `/healthz` (a view that only asks
the database `SELECT 1`), so the baseline is sampled under the same conditions as the pages. Printed: p50 and
p95 per page (wall time of the whole response, read over HTTP), its size, and the trivial view's p95. Nothing is
asserted (README.md); the issue's target is p95 ≤ 150 ms for every list page and the home page, and under
100 KB for the enterprise page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# Run in the deployment: build (when needed), then one session per demo login and the URLs to measure.
PREPARE = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from urllib.parse import urlencode
from steelwatch.demo.build import demo_marker
from steelwatch.demo.people import LOGINS
from steelwatch.accounts.models import User
from steelwatch.registry.models import Enterprise

wanted, rebuild = int(sys.argv[1]), sys.argv[2] == "1"
call_command("migrate", "--noinput", "-v", "0")
marker = demo_marker()
built = (marker.after or {}).get("enterprises") if marker else None
if rebuild or built != wanted:
    call_command("build_demo", "--enterprises", str(wanted), *(["--reset"] if marker else []))
from django.db import connection
if connection.vendor == "postgresql":  # the statistics and visibility map autovacuum keeps after a bulk load
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
sessions = {}
for login in LOGINS:
    client = Client()
    client.force_login(User.objects.get(username=login.username))
    sessions[login.username] = client.cookies["sessionid"].value
# The ledger's hard cases: a deep page, a name fragment, an exact USCC, the busiest enterprise's page.
ledger = Enterprise.objects.order_by("pk")
sample = ledger[ledger.count() // 2]
fragment = sample.name[len(sample.name) // 2 - 2 : len(sample.name) // 2 + 1]
from django.db.models import Count
busiest = ledger.annotate(n=Count("furnaces")).order_by("-n", "pk").first()
extra = {
    "changzhou": [
        "/ledger/?page=1000000",
        "/ledger/?" + urlencode({"q": fragment}),
        "/ledger/?q=" + sample.uscc,
        reverse("registry:enterprise_detail", args=[busiest.pk]),
    ]
}
print(json.dumps({"sessions": sessions, "extra": extra, "enterprises": Enterprise.objects.count()}))
"""

NAV = re.compile(r'<nav class="nav">(.*?)</nav>', re.S)
HREF = re.compile(r'href="(/[^"#]*)"')
CARD = re.compile(r'<a class="card[^"]*" href="(/[^"#]*)"')


def environment(label: str, data_dir: Path, database_url: str | None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "steelwatch.settings",
        "STEELWATCH_DEV": "true",
        "STEELWATCH_REGION": "320400",
        "STEELWATCH_SECOND_FACTOR": "off",
        "STEELWATCH_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("STEELWATCH_DEBUG", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(label: str, env: dict, enterprises: int, rebuild: bool) -> dict:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(enterprises), "1" if rebuild else "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{label}: preparing the deployment failed\n{done.stderr[-3000:]}")
    print(f"{label}: deployment ready in {time.monotonic() - started:.0f} s")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, session: str = "") -> tuple[int, int, float, bytes]:
    """One request on a fresh connection: (status, body bytes, seconds to the last byte, body)."""
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, len(body), elapsed, body


def serve(env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "steelwatch"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the server did not answer /healthz:\n{server.stderr.read()[-3000:]}")


def menu_paths(port: int, session: str) -> list[str]:
    """The home page, the pages its menu links to and the lists its figures link to."""
    status, _size, _s, body = get(port, "/", session)
    if status != 200:
        raise SystemExit(f"home page answered {status}")
    page = body.decode()
    nav = NAV.search(page)
    found = HREF.findall(nav.group(1) if nav else "") + CARD.findall(page)
    paths = ["/"]
    for path in (p.replace("&amp;", "&") for p in found):
        if path not in paths:
            paths.append(path)
    return paths


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(port: int, prepared: dict, requests: int) -> tuple[list[dict], list[float]]:
    rows, trivial = [], []
    for username, session in prepared["sessions"].items():
        paths = menu_paths(port, session) + prepared["extra"].get(username, [])
        for path in paths:
            times, statuses, size = [], set(), 0
            for n in range(requests + 2):  # two warm-up requests
                trivial_time = get(port, "/healthz")[2]
                status, size, elapsed, _body = get(port, path, session)
                if n >= 2:
                    times.append(elapsed)
                    trivial.append(trivial_time)
                    statuses.add(status)
            rows.append(
                {
                    "login": username,
                    "path": path,
                    "status": ",".join(str(s) for s in sorted(statuses)),
                    "p50": statistics.median(times),
                    "p95": percentile(times, 95),
                    "kb": size / 1024,
                }
            )
    return rows, trivial


def report(label: str, prepared: dict, rows: list[dict], trivial: list[float]) -> None:
    base = percentile(trivial, 95) * 1000
    print(f"\n{label}: {prepared['enterprises']:,} enterprises; trivial view /healthz p95 {base:.1f} ms")
    print(f"{'login':<14}{'page':<44}{'status':>7}{'p50 ms':>9}{'p95 ms':>9}{'× trivial':>11}{'KB':>8}")
    for r in sorted(rows, key=lambda r: -r["p95"]):
        flag = "  > 150 ms" if r["p95"] * 1000 > 150 else ""
        print(
            f"{r['login']:<14}{r['path'][:43]:<44}{r['status']:>7}{r['p50'] * 1000:>9.1f}{r['p95'] * 1000:>9.1f}"
            f"{r['p95'] * 1000 / base:>11.1f}{r['kb']:>8.1f}{flag}"
        )
    slow = [r for r in rows if r["p95"] * 1000 > 150]
    print(
        f"{label}: {len(rows)} pages, {len(slow)} over 150 ms at p95; slowest {max(r['p95'] for r in rows) * 1000:.0f} ms"
    )


def fresh_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(label: str, env: dict, args) -> None:
    prepared = prepare(label, env, args.enterprises, args.rebuild)
    server, port = serve(env)
    try:
        rows, trivial = measure(port, prepared, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(label, prepared, rows, trivial)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument(
        "--requests", type=int, default=20, help="measured requests per page (after 2 warm-up)"
    )
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "steelwatch-bench")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PAGES_PG_URL", "postgres://postgres@127.0.0.1:5432/steelwatch_bench_pages"
        ),
    )
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--rebuild", action="store_true", help="build the demo city again even if cached")
    args = parser.parse_args()
    if not args.no_sqlite:
        data = args.data_dir / f"pages-sqlite-{args.enterprises}"
        data.mkdir(parents=True, exist_ok=True)
        run("SQLite", environment("sqlite", data, None), args)
    if not args.no_pg:
        fresh_pg(args.pg_url)
        data = args.data_dir / f"pages-pg-{args.enterprises}"
        data.mkdir(parents=True, exist_ok=True)
        run("PostgreSQL", environment("pg", data, args.pg_url), args)


if __name__ == "__main__":
    main()
