"""`python -m analytics.cli detect ...` (also `steelwatch detect ...`)."""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from analytics.clean import InputError

COMMANDS = {
    "detect": "analytics.cli:detect_main",
    "simulate": "analytics.simulate:main",
    "evaluate": "analytics.evaluate:main",
    "coarsen": "analytics.coarsen:main",
    "detect-areas": "analytics.areas:main",
}


class ProgressBar:
    """A bar on a terminal, a plain line every few seconds otherwise (logs, CI)."""

    def __init__(self, stream=sys.stderr, every_s: float = 5.0):
        self.stream, self.every_s, self.last, self.tty = stream, every_s, 0.0, stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if self.tty:
            bar = "█" * int(share * 30)
            self.stream.write(f"\r检测进度 |{bar:<30}| {share:5.1%} ({done:,}/{total:,} 行)")
            if done >= total:
                self.stream.write("\n")
        elif time.monotonic() - self.last >= self.every_s or done >= total:
            self.last = time.monotonic()
            self.stream.write(f"检测进度 {share:.0%}（{done:,}/{total:,} 行）\n")
        self.stream.flush()


def detect_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="detect", description="识别疑似中频感应炉（地条钢）用电")
    parser.add_argument("--readings", required=True, help="15 分钟读数（.parquet/.csv：account_id, ts, kw）")
    parser.add_argument(
        "--accounts",
        help="户档案（account_id, contracted_kva, industry, registered_furnace_kw, site_status）",
    )
    parser.add_argument("--out", required=True, help="结果 CSV（account_id, score, level, reasons）")
    parser.add_argument("--engine", choices=("local", "spark"), default="local")
    parser.add_argument("--spark-master", help="Spark master URL（默认 local[*]）")
    parser.add_argument("--daily", action="store_true", help="输入为日电量（account_id, date, kwh）")
    args = parser.parse_args(argv)

    from analytics import detect_file, io

    try:
        accounts = io.read_accounts(args.accounts) if args.accounts else None
        started = time.monotonic()
        scores, report = detect_file(args.readings, accounts, engine=args.engine, spark_master=args.spark_master,
                                     progress=ProgressBar(), daily=args.daily)  # fmt: skip
        io.write_scores(scores, args.out)
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    counts = {level: int((scores["level"] == level).sum()) for level in ("alert", "watch", "normal")}
    print(report.summary_zh(), file=sys.stderr)
    print(
        f"完成：{scores.height:,} 户，告警 {counts['alert']:,}，关注 {counts['watch']:,}，正常 {counts['normal']:,}；"
        f"用时 {time.monotonic() - started:.1f} 秒；结果已写入 {args.out}",
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(f"用法：python -m analytics.cli {{{'|'.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    module, _, name = COMMANDS[argv[0]].partition(":")
    return getattr(importlib.import_module(module), name)(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
