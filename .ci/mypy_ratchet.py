"""mypy on a ratchet: analytics/ (not its tests) must have no error at all, and the project's total may only
fall. The total is kept in .mypy-baseline: above it the gate fails and lists the new errors' files; below it the
file is lowered (commit it). Run by `make typecheck` (part of `make test`)."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".mypy-baseline"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error:")


def main() -> int:
    mypy = [sys.executable, "-m", "mypy", "steelwatch", "analytics", "conftest.py"]
    run = subprocess.run(mypy, cwd=ROOT, capture_output=True, text=True)
    if run.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        sys.stdout.write(run.stdout + run.stderr)
        return 2
    errors = [line for line in run.stdout.splitlines() if ERROR.match(line)]
    strict = [
        line for line in errors if line.startswith("analytics/") and not line.startswith("analytics/tests/")
    ]
    baseline = int(BASELINE.read_text().strip() or 0) if BASELINE.exists() else len(errors)
    print(f"mypy: {len(errors)} errors (baseline {baseline}); analytics, strict: {len(strict)}")
    if strict:
        print("analytics/ is held to mypy --strict and must have none:\n" + "\n".join(strict))
        return 1
    if len(errors) > baseline:
        files = Counter(ERROR.match(line)["path"] for line in errors)
        print(f"{len(errors) - baseline} more mypy errors than .mypy-baseline allows; errors per file:")
        for path, count in files.most_common(15):
            print(f"  {count:4d}  {path}")
        print(
            "Fix them (the count may only fall). Full list: .venv/bin/mypy steelwatch analytics conftest.py"
        )
        return 1
    if len(errors) < baseline or not BASELINE.exists():
        BASELINE.write_text(f"{len(errors)}\n")
        print(f".mypy-baseline lowered to {len(errors)}: commit it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
