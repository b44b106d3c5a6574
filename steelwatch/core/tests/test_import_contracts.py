"""The import contracts in .importlinter (run by `make test` as lint-imports) cover every app: an app added under
steelwatch/ without a place in the layers would escape the one-way rule, so this fails until it has one."""

import configparser
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _layers() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    layers = config["importlinter:contract:app-layers"]["layers"]
    return {name.strip() for line in layers.splitlines() for name in re.split(r"[|:]", line) if name.strip()}


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in (ROOT / "steelwatch").glob("*/apps.py")}
    missing = sorted(apps - _layers())
    assert missing == [], (
        f"add {', '.join(missing)} to the layers of .importlinter (contract app-layers), above the apps it "
        "imports and below those that import it; then run .venv/bin/lint-imports"
    )


def test_analytics_is_forbidden_django_and_the_platform():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    contract = config["importlinter:contract:analytics-pure"]
    assert contract["source_modules"].split() == ["analytics"]
    assert {"django", "steelwatch"} <= set(contract["forbidden_modules"].split())
