"""The committed OpenAPI document (docs/openapi.json) must match the live API: a change to any endpoint
or schema shows up in review as a change to that file."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from steelwatch.core.management.commands.export_openapi import openapi_document

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"
REGENERATE = (
    "API 接口已变化但 docs/openapi.json 未更新。请运行：.venv/bin/steelwatch export-openapi docs/openapi.json"
)


def test_committed_openapi_matches_the_live_schema():
    assert COMMITTED.is_file(), REGENERATE
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == openapi_document(), REGENERATE


def test_export_command_writes_the_document(tmp_path):
    target = tmp_path / "sub" / "openapi.json"
    call_command("export_openapi", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    assert "/api/v1/enterprises" in document["paths"]
    assert document == openapi_document()
