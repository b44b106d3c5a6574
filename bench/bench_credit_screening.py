"""Credit-list screening on a large list: how long one `screen()` takes with N entries in force.

    .venv/bin/python bench/bench_credit_screening.py                 # 100,000 entries, SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sw_bench .venv/bin/python bench/bench_credit_screening.py

Builds N synthetic enterprise entries (trade names from a syllable list, industries and places from the real
division tree, a few percent of homophones and traditional-character variants), indexes them with the
screening index (NameKey + NameGram, bulk), then times `screen()` for a mix of queries: the same name,
traditional characters in another district, a homophone, an unrelated name, a USCC. Prints the index build
time, per-query p50 / p95 / max in ms and the number of matches. Nothing is asserted.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TRADE = "鑫新宏红华恒盛圣金晶达大丰隆龙泰通兴永昌荣福瑞祥鸿宇天海东方"
INDUSTRY = ["特钢", "特殊钢铁", "钢铁", "机械", "金属制品", "铸造", "冶金", "五金", "炉料", "建材"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "厂"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--data-dir",
        default="",
        help="keep the SQLite list here and reuse it when it already holds --entries",
    )
    args = parser.parse_args()
    folder = args.data_dir or tempfile.mkdtemp(prefix="sw-credit-bench-")
    os.makedirs(folder, exist_ok=True)
    os.environ.setdefault("STEELWATCH_DATA_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steelwatch.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from steelwatch.credit.models import Entry, NameGram, NameKey
    from steelwatch.credit.screening import name_key_for, screen
    from steelwatch.geo.models import Division
    from steelwatch.testing import make_uscc

    rng = random.Random(args.seed)
    districts = list(
        Division.objects.filter(level=Division.Level.DISTRICT).select_related("parent").order_by("code")
    )
    started = time.perf_counter()
    batch, names = [], []
    reuse = Entry.objects.count() == args.entries
    if not reuse:
        Entry.objects.all().delete()
    for n in range(args.entries):
        district = rng.choice(districts)
        trade = "".join(rng.sample(TRADE, rng.choice((2, 2, 3))))
        name = f"{district.parent.name}{district.name}{trade}{rng.choice(INDUSTRY)}{rng.choice(FORMS)}"
        names.append((name, district.code))
        if reuse:
            continue
        batch.append(
            Entry(
                name=name,
                uscc=make_uscc(district.code),
                division_id=district.code,
                basis="bench",
                authority="bench",
                state=Entry.State.IN_FORCE,
            )
        )
        if len(batch) == 5000 or n == args.entries - 1:
            created = Entry.objects.bulk_create(batch)
            keys, grams = [], []
            for entry in created:
                key, entry_grams = name_key_for(entry)
                keys.append(key)
                grams += entry_grams
            NameKey.objects.bulk_create(keys)
            NameGram.objects.bulk_create(grams)
            batch = []
    build = time.perf_counter() - started
    print(
        f"entries: {args.entries:,}   index rows: {NameGram.objects.count():,}   "
        + ("reused" if reuse else f"build: {build:.1f} s")
    )

    samples = rng.sample(names, args.queries)
    usccs = list(Entry.objects.values_list("uscc", flat=True)[: args.queries])
    kinds = {
        "same name": [(n, d) for n, d in samples],
        "traditional, other district": [
            (n.replace("钢", "鋼").replace("铁", "鐵").replace("达", "達"), "110105") for n, d in samples
        ],
        "homophone 鑫/新": [
            (n.replace("鑫", "新") if "鑫" in n else n.replace("新", "鑫"), d) for n, d in samples
        ],
        "unrelated": [(f"某某{rng.choice(TRADE)}食品{rng.choice(FORMS)}", d) for n, d in samples],
    }
    print(f"{'query':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'matches/q':>10}")
    for label, queries in kinds.items():
        times, found = [], 0
        for name, division in queries:
            t = time.perf_counter()
            found += len(screen(name=name, division_code=division))
            times.append((time.perf_counter() - t) * 1000)
        _row(label, times, found / len(queries))
    times = []
    for code in usccs:
        t = time.perf_counter()
        screen(uscc=code)
        times.append((time.perf_counter() - t) * 1000)
    _row("USCC", times, 1.0)
    return 0


def _row(label: str, times: list[float], per_query: float) -> None:
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{label:32} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {per_query:10.1f}")


if __name__ == "__main__":
    sys.exit(main())
