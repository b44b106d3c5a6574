"""mypy on a ratchet. Two counts are kept in .mypy-baseline and may only fall: the project's total, and the
errors of analytics/ (not its tests) under its strict settings (pyproject [tool.mypy]), whose goal is 0.
Above a count the gate fails and lists the files; below it the file is lowered (commit it). Run by
`make typecheck` (part of `make test`)."""

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".mypy-baseline"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error:")


def _read() -> dict[str, int]:
    if not BASELINE.exists():
        return {}
    pairs = (line.split() for line in BASELINE.read_text().splitlines() if line.strip())
    return {name: int(count) for name, count in pairs}


def main() -> int:
    mypy = [sys.executable, "-m", "mypy", "steelwatch", "analytics", "conftest.py"]
    # The django-stubs plugin loads the settings, which refuse production without real keys.
    env = {**os.environ, "STEELWATCH_DEV": "true"}
    run = subprocess.run(mypy, cwd=ROOT, capture_output=True, text=True, env=env)
    if run.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        sys.stdout.write(run.stdout + run.stderr)
        return 2
    errors = [line for line in run.stdout.splitlines() if ERROR.match(line)]
    strict = [l for l in errors if l.startswith("analytics/") and not l.startswith("analytics/tests/")]  # noqa: E741
    counts = {"total": errors, "analytics": strict}
    baseline = _read() or {name: len(found) for name, found in counts.items()}
    print(
        f"mypy: {len(errors)} errors (baseline {baseline['total']}); "
        f"analytics, strict: {len(strict)} (baseline {baseline['analytics']}, goal 0)"
    )
    risen = [name for name, found in counts.items() if len(found) > baseline[name]]
    for name in risen:
        files = Counter(ERROR.match(line)["path"] for line in counts[name])
        print(f"{len(counts[name]) - baseline[name]} more mypy errors ({name}) than .mypy-baseline allows:")
        for path, count in files.most_common(15):
            print(f"  {count:4d}  {path}")
    if risen:
        print(
            "Fix them (the counts may only fall). Full list: .venv/bin/mypy steelwatch analytics conftest.py"
        )
        return 1
    now = {name: len(found) for name, found in counts.items()}
    if now != baseline or not BASELINE.exists():
        BASELINE.write_text("".join(f"{name} {count}\n" for name, count in now.items()))
        print(f".mypy-baseline now {now}: commit it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
