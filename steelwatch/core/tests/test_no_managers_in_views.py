"""Views and API modules parse the request and call selectors, access and services: they never query a model
manager themselves (`Model.objects…`) nor use Django's `get_object_or_404`, which skips the access layer.

import-linter cannot see attribute access, so this test reads the source. It finds every app's view and API
modules by name (views.py, views_*.py, public_views.py, api.py, and modules inside views/ or api/ packages),
so an app added later is checked the day it appears."""

import ast
from pathlib import Path

from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "steelwatch"
MANAGERS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def is_view_or_api(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    if "tests" in parts or "migrations" in parts:
        return False
    stem = path.stem
    return stem == "api" or "views" in stem or any(p in ("views", "api") for p in parts[:-1])


def view_and_api_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if is_view_or_api(p))


def violations(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            owner = node.value.id if isinstance(node.value, ast.Name) else ast.unparse(node.value)
            found.append((node.lineno, f"{owner}.{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in SHORTCUTS:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in SHORTCUTS:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, a.name) for a in node.names if a.name in SHORTCUTS]
    return found


def test_the_scan_finds_managers_and_shortcuts():
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    a = Case.objects.filter(pk=pk)\n"
        "    b = models.Tip.objects.get(pk=pk)\n"
        "    c = Job._default_manager.all()\n"
        "    return get_object_or_404(Case, pk=pk), case.tasks.all()\n"
    )
    assert sorted(what for _, what in violations(source)) == sorted(
        [
            "get_object_or_404",
            "Case.objects",
            "models.Tip.objects",
            "Job._default_manager",
            "get_object_or_404",
        ]
    )


def test_the_scan_covers_every_app():
    names = {p.relative_to(PACKAGE).as_posix() for p in view_and_api_modules()}
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    with_views = {n.split("/")[0] for n in names if "/" in n}
    assert "api.py" in names  # the project's own NinjaAPI module
    assert {"registry", "cases", "power", "tips", "core"} <= with_views <= apps


def test_views_and_apis_use_no_model_manager_directly():
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in view_and_api_modules()
        for line, what in violations(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "views and API modules reach objects only through selectors/access/services "
        "(move the lookup into the app's access.py or selectors.py):\n" + "\n".join(found)
    )
