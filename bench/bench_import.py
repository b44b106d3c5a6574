"""Ledger import throughput: a 100,000-row workbook imported on SQLite and on PostgreSQL, and how long another
writer waits meanwhile.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--data-dir DIR] [--pg-url URL | --no-pg]

The workbook (enterprise sheet only; USCCs, names, addresses, divisions spread over the townships of the demo
city) is generated once and cached under --data-dir. Each database gets a fresh deployment (a temp data
folder; on PostgreSQL the database named in --pg-url, default $BENCH_PG_URL or
postgres://postgres@127.0.0.1:5432/steelwatch_bench, dropped and created again), migrated, then
`registry.imports.ledger_import` runs as the city office would, phase by phase (parse, plan, stage, switch).
Wall and process CPU seconds are printed (on a shared machine the CPU figure is the steadier one). Meanwhile a
second thread writes one audit row every 50 ms in its own transaction: its slowest write is the
longest time the import kept another writer waiting. Figures are printed; nothing is asserted (README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from steelwatch.geo.divisions import bundled_divisions
    from steelwatch.registry.tests.ledger_files import ENTERPRISE_HEADERS, FURNACE_HEADERS
    from steelwatch.registry.uscc import uscc_check_char

    townships = [code for code, *_ in bundled_divisions() if code.startswith("3204") and len(code) == 9]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    sheet.append(ENTERPRISE_HEADERS)
    for n in range(rows):
        first17 = f"913204{n:011d}"
        sheet.append(
            [
                first17 + uscc_check_char(first17),
                f"常州市基准铸造有限公司{n}",
                townships[n % len(townships)],
                f"工业园区{n % 997}路{n}号",
                f"法人{n % 5000}",
                "铸造" if n % 3 else "机械加工",
                "在营" if n % 10 else "停产",
                round(119.5 + (n % 1000) / 2000, 6),
                round(31.5 + (n % 777) / 2000, 6),
            ]
        )
    furnaces = workbook.create_sheet("设备")
    furnaces.append(FURNACE_HEADERS)
    workbook.save(path)


CHILD = r"""
import json, sys, threading, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", "--noinput", "-v", "0")
from steelwatch.core.models import AuditLog
from steelwatch.registry import imports
from steelwatch.registry.models import Enterprise
from steelwatch.testing import make_user

path = sys.argv[1]
actor = make_user("city_office", "320400", username="bench_city")
waits, stop = [], threading.Event()

def other_writer():
    while not stop.is_set():
        started = time.monotonic()
        with transaction.atomic():
            AuditLog.objects.create(action="bench_probe", target_type="bench", target_id="0")
        waits.append(time.monotonic() - started)
        time.sleep(0.05)
    connection.close()

phases = {}
def timed(name, fn, *args, **kwargs):
    started = time.monotonic()
    value = fn(*args, **kwargs)
    phases[name] = round(time.monotonic() - started, 2)
    return value

probe = threading.Thread(target=other_writer, daemon=True)
probe.start()
started, cpu = time.monotonic(), time.process_time()
parsed = timed("parse", imports.ledger_parse, path)
plan = timed("plan", imports.ledger_import_plan, actor=actor, parsed=parsed)
assert plan.ok, [str(e) for e in plan.errors[:5]]
batch = "bench"
timed("stage", imports._stage, plan, actor, batch, lambda p, m="": None, imports.BATCH)
timed("switch", imports._switch, plan, actor, batch)
total = round(time.monotonic() - started, 2)
cpu = round(time.process_time() - cpu, 1)
stop.set()
probe.join()
print(json.dumps({
    "rows": Enterprise.objects.count(), "total": total, "cpu": cpu, **phases,
    "probe_writes": len(waits), "probe_slowest": round(max(waits), 3),
}))
"""


def run_child(label: str, path: Path, database_url: str | None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "steelwatch.settings",
        "STEELWATCH_DEV": "true",
        "STEELWATCH_DEBUG": "true",
        "STEELWATCH_DATA_DIR": tempfile.mkdtemp(prefix=f"steelwatch-bench-import-{label}-"),
        "STEELWATCH_WORKBOOK_MAX_ROWS": "200000",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{label}: import failed\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "steelwatch-bench")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/steelwatch_bench"),
    )
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / f"ledger-{args.rows}.xlsx"
    if not path.exists():
        started = time.monotonic()
        generate(path, args.rows)
        print(
            f"generated {path} ({path.stat().st_size / 2**20:.1f} MiB) in {time.monotonic() - started:.0f} s"
        )
    results = {"sqlite": run_child("sqlite", path, None)}
    if not args.no_pg:
        fresh_pg(args.pg_url)
        results["postgresql"] = run_child("postgresql", path, args.pg_url)
    print(f"\nledger import, {args.rows:,} enterprise rows (seconds)")
    print(
        f"{'database':<12}{'total':>8}{'cpu':>8}{'parse':>8}{'plan':>8}{'stage':>8}{'switch':>8}{'other writer, slowest':>24}"
    )
    for name, r in results.items():
        print(
            f"{name:<12}{r['total']:>8}{r['cpu']:>8}{r['parse']:>8}{r['plan']:>8}{r['stage']:>8}{r['switch']:>8}"
            f"{r['probe_slowest']:>22} s  ({r['probe_writes']} writes; {r['rows']:,} rows visible)"
        )


if __name__ == "__main__":
    main()
