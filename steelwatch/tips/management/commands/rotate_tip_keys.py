from django.core.management.base import BaseCommand

from steelwatch.tips.services import tip_keys_rotate


class Command(BaseCommand):
    help = (
        "用最新密钥重新加密全部举报人信息。轮换步骤：在 STEELWATCH_TIP_KEYS 最前面加入新密钥 → "
        "运行本命令 → 确认后删除旧密钥"
    )

    def handle(self, *args, **options):
        count = tip_keys_rotate()
        self.stdout.write(f"已用最新密钥重新加密 {count} 条举报人信息")
