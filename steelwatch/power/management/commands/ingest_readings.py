"""`steelwatch ingest-readings FILE [--user USERNAME]`: what an upload does, run here and now."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from analytics.clean import InputError
from steelwatch.core.text import public_message
from steelwatch.power.services import detection_run_execute, readings_submit


class Command(BaseCommand):
    help = (
        "导入电表读数（CSV 或 Parquet：account_id, ts, kw）并检测：按月存档原始读数，生成日用电汇总和告警；"
        "指定 --user 时按该用户的管辖范围拒收范围外户号，否则以系统身份导入全部已登记户号。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="以该用户身份导入（须有上传读数权限）")
        parser.add_argument(
            "--engine",
            choices=["local", "spark"],
            default=None,
            help="计算引擎（默认取 STEELWATCH_DETECTION_ENGINE；spark 的集群地址取 STEELWATCH_SPARK_MASTER）",
        )

    def handle(self, *args, file: Path, user: str | None, engine: str | None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"用户 {user} 不存在或已停用")
        try:
            run = readings_submit(actor=actor, via="cli", source=file.resolve(), engine=engine)
            result = detection_run_execute(run=run, report=self._progress)
        except (ValidationError, InputError, PermissionDenied) as exc:
            messages = (
                exc.messages if isinstance(exc, ValidationError) else [str(exc) or "当前用户无权上传读数"]
            )
            raise CommandError(public_message("；".join(messages))) from None
        self.stdout.write(f"检测批次 #{run.pk}：{result['message']}")
        if result["quality"]:
            self.stdout.write(result["quality"])

    def _progress(self, percent: int, message: str = "") -> None:
        self.stderr.write(f"[{percent:3d}%] {message}")
