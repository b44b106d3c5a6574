from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from steelwatch.registry.consolidation import (
    default_division,
    default_period,
    ledger_consolidate,
    snapshot_file,
)


class Command(BaseCommand):
    help = (
        "清单归集（每年6月、12月）：归集中(工)频炉使用企业清单、重点监控企业清单和台账外企业清单，"
        "保存分区县统计和 Excel 文件。steelwatch consolidate-ledger [--period 2026-12] [--division CODE]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help="归集期 YYYY-06 或 YYYY-12（默认最近一期）")
        parser.add_argument("--division", default="", help="归集范围（默认台账所在的市）")
        parser.add_argument("--user", default="", help="以该用户身份归集（需市领导小组办公室权限）")

    def handle(self, *args, **opts):
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户 {opts['user']} 不存在或已停用")
        try:
            division_code = opts["division"] or (actor.division_id if actor else default_division().code)
            snapshot = ledger_consolidate(
                actor=actor, period=opts["period"] or default_period(), division_code=division_code
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"{snapshot.division.full_name} {snapshot.period} 归集完成：中(工)频炉使用企业 "
            f"{snapshot.furnace_user_count} 家，重点监控企业 {snapshot.watchlist_count} 家，"
            f"台账外企业 {snapshot.off_ledger_count} 家；文件：{snapshot_file(snapshot)}"
        )
