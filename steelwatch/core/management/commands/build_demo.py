from django.core.management.base import BaseCommand, CommandError

from steelwatch.demo.build import DemoExists, build_demo
from steelwatch.demo.people import grid_officer_note


class Command(BaseCommand):
    help = (
        "生成演示城市（常州市）：真实的区县与街镇、约3000家企业（约150家感应炉使用企业）、网格与网格员、"
        "各角色登录账号；已有演示数据时不重复生成。steelwatch build-demo [--seed 2026] [--enterprises 3000] [--reset]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机种子：同一种子生成同一座城市")
        parser.add_argument("--enterprises", type=int, default=3000, help="企业数量（至少100）")
        parser.add_argument("--reset", action="store_true", help="先清空整个演示数据库（仅限演示库）")
        parser.add_argument(
            "--ledger-only", action="store_true", help="只生成台账、网格和账号（不生成用电、案件、举报）"
        )

    def handle(self, *args, **opts):
        if opts["enterprises"] < 100:
            raise CommandError("--enterprises 至少为 100")
        try:
            result = build_demo(
                seed=opts["seed"],
                enterprises=opts["enterprises"],
                reset=opts["reset"],
                ledger_only=opts["ledger_only"],
                say=self.stdout.write,
            )
        except DemoExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write("演示账号（初始密码）：")
        self.stdout.write(format_logins(result.logins))
        self.stdout.write(second_factor_note(result.logins))
        self.stdout.write(grid_officer_note(result.seed))
        self.stdout.write("")
        self.stdout.write("打开 http://127.0.0.1:8000（或 make demo PORT=… 所给端口）用以上任一账号登录。")


def format_logins(rows: list[dict]) -> str:
    """A plain-text table; widths count a CJK character as two columns."""
    headers = {"username": "用户名", "role": "角色", "jurisdiction": "管辖区域", "password": "密码"}

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    def pad(text: str, size: int) -> str:
        return text + " " * (size - width(text))

    sizes = {key: max(width(headers[key]), *(width(row[key]) for row in rows)) for key in headers}
    lines = ["  ".join(pad(headers[key], sizes[key]) for key in headers)]
    lines.append("  ".join("-" * sizes[key] for key in headers))
    lines += ["  ".join(pad(row[key], sizes[key]) for key in headers) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def second_factor_note(rows: list[dict]) -> str:
    """Which demo logins enrol a TOTP second factor at their first login (and how to skip it in the demo)."""
    from django.conf import settings

    from steelwatch.accounts.models import User
    from steelwatch.accounts.roles import needs_second_factor

    names = [
        u.username
        for u in User.objects.filter(username__in=[r["username"] for r in rows])
        if needs_second_factor(u)
    ]
    if getattr(settings, "SECOND_FACTOR", "required") == "off":
        return "二次验证：已关闭（STEELWATCH_SECOND_FACTOR=off，仅开发模式）。"
    return (
        f"二次验证：{'、'.join(sorted(names))} 可查看举报人身份或审批奖励，首次登录时需用验证器应用绑定动态口令（TOTP），"
        "之后每次登录输入动态口令；演示时可用 make demo DEMO_SECOND_FACTOR=off 跳过（仅开发模式）。"
    )
