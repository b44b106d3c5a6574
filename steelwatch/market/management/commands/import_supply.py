from steelwatch.core.sheets import ImportResult, SheetError, SheetImportCommand
from steelwatch.market.services import supply_import


class Command(SheetImportCommand):
    help = "导入进货查验记录 / 钢坯来源 Excel（工作表“进货记录”）：逐行校验，任何一行有误则不写入；须以 --user 指定导入人"
    counted = "进货与钢坯来源记录"

    def run_import(self, *, path, actor, dry_run):
        if actor is None:  # the same error contract (and --json object) as a bad row
            message = "请用 --user 指定导入人（其管辖范围决定可导入的经营者）"
            return ImportResult(ok=False, errors=[SheetError("", None, "", message)])
        return supply_import(path=path, actor=actor, dry_run=dry_run)
