from steelwatch.core.sheets import SheetImportCommand
from steelwatch.registry.imports import ledger_import


class Command(SheetImportCommand):
    help = (
        "导入台账 Excel（工作表“企业”“设备”）：逐行校验全部数据，任何一行有误则不写入；"
        "以统一社会信用代码（设备：代码 + 设备编号）为键，重复导入不会重复新增。"
    )
    counted = "企业与设备"

    def run_import(self, *, path, actor, dry_run):
        return ledger_import(path=path, actor=actor, dry_run=dry_run)
