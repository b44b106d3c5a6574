"""`steelwatch export-openapi FILE`: write the API v1 OpenAPI document (committed as docs/openapi.json;
a test fails when the live schema differs from the committed one)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand


def openapi_document() -> dict:
    from steelwatch.api import api

    # A JSON round trip gives the exact shape a client sees (tuples → lists, lazy strings → str).
    return json.loads(json.dumps(api.get_openapi_schema(), ensure_ascii=False, default=str))


def openapi_text() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "导出 API v1 的 OpenAPI 文档（JSON）到指定文件，如 docs/openapi.json"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件路径，如 docs/openapi.json")

    def handle(self, *args, file, **options):
        path = Path(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(openapi_text(), encoding="utf-8")
        self.stdout.write(f"已写入 {path}（{len(openapi_document()['paths'])} 个接口路径）")
