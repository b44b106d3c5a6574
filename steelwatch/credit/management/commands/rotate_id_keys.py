from django.core.management.base import BaseCommand

from steelwatch.credit.services import id_keys_rotate


class Command(BaseCommand):
    help = (
        "用最新密钥重新加密信用名单中的全部身份证号码。轮换步骤：在 STEELWATCH_ID_KEYS 最前面加入新密钥 → "
        "运行本命令 → 确认后删除旧密钥（同时按当前 STEELWATCH_SECRET_KEY 重算用于比对的HMAC摘要）"
    )

    def handle(self, *args, **options):
        count = id_keys_rotate()
        self.stdout.write(f"已用最新密钥重新加密 {count} 个身份证号码")
