from django.core.management.base import BaseCommand

from steelwatch.credit.screening import index_rebuild


class Command(BaseCommand):
    help = "重建信用名单筛查索引（名称核心、拼音、字号二元组）；修改名称规则后运行"

    def handle(self, *args, **options):
        self.stdout.write(f"已为 {index_rebuild()} 条名单条目重建筛查索引")
