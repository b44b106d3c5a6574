import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from steelwatch.accounts.roles import Department, Role
from steelwatch.accounts.services import token_issue, user_create


class Command(BaseCommand):
    help = (
        "创建用户：steelwatch create-user USERNAME --role ROLE --division CODE [--department DEPT] "
        "[--password-stdin] [--token]"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--division", required=True, help="管辖区域的行政区划代码")
        parser.add_argument("--department", default="", choices=["", *Department.values])
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
        parser.add_argument("--token", action="store_true", help="同时签发 API 令牌（输出最后一行）")

    def handle(self, *args, **opts):
        password = sys.stdin.readline().rstrip("\n") if opts["password_stdin"] else None
        try:
            user = user_create(
                username=opts["username"],
                role=opts["role"],
                division_code=opts["division"],
                department=opts["department"],
                password=password,
                display_name=opts["name"],
            )
        except ValidationError as exc:
            raise CommandError(
                "；".join(f"{k}: {'；'.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(
            f"已创建用户 {user.username}（{user.get_role_display()}，{user.division.full_name}）"
        )
        if opts["token"]:
            self.stdout.write(token_issue(user=user, name="cli"))
