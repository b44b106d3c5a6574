from steelwatch.core.sheets import SheetImportCommand
from steelwatch.geo.imports import division_import, write_division_template


class Command(SheetImportCommand):
    help = (
        "导入村社区（工作表“村社区”：12位行政区划代码、名称）和网格（工作表“网格”：网格编号、网格名称、"
        "所属街镇代码、包含村社区代码、网格员姓名、网格员电话、网格员账号）；逐行校验，任何一行有误则不写入。"
        "加 --template 则生成空白模板。"
    )
    counted = "村社区、网格与网格员"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--template", action="store_true", help="生成空白导入模板到 FILE，不导入")

    def handle(self, *args, **opts):
        if opts["template"]:
            self.stdout.write(f"已生成村社区与网格导入模板：{write_division_template(opts['file'])}")
            return
        super().handle(*args, **opts)

    def run_import(self, *, path, actor, dry_run):
        return division_import(path=path, actor=actor, dry_run=dry_run)
