"""`steelwatch serve`: the production web server — collectstatic, then gunicorn running the WSGI application,
WhiteNoise serving the static files. Every option has an environment variable (docs/running.md)."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _default_workers() -> int:
    return int(os.environ.get("STEELWATCH_WORKERS", "") or min(2 * (os.cpu_count() or 1) + 1, 9))


class Command(BaseCommand):
    help = (
        "运行生产 Web 服务（gunicorn + WhiteNoise 静态文件）：先 collectstatic，再启动 gunicorn。"
        "steelwatch serve [--bind 127.0.0.1:8000] [--workers N] [--threads N] [--timeout S]"
    )
    requires_system_checks = "__all__"

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument(
            "--bind", default=env("STEELWATCH_BIND", "127.0.0.1:8000"), help="监听地址（STEELWATCH_BIND）"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="进程数（STEELWATCH_WORKERS，默认 2×CPU+1，至多 9）"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(env("STEELWATCH_THREADS", "4")),
            help="每进程线程数（STEELWATCH_THREADS）",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(env("STEELWATCH_TIMEOUT", "120")),
            help="请求超时秒数（STEELWATCH_TIMEOUT）",
        )
        parser.add_argument("--no-collectstatic", action="store_true", help="不运行 collectstatic")
        parser.add_argument("--dry-run", action="store_true", help="只打印 gunicorn 命令，不启动")

    def gunicorn_argv(self, opts) -> list[str]:
        workers = opts["workers"] or _default_workers()
        if workers < 1 or opts["threads"] < 1:
            raise CommandError("--workers 与 --threads 至少为 1")
        proxies = ",".join(str(net) for net in settings.TRUSTED_PROXIES) or "127.0.0.1"
        return [
            sys.executable, "-m", "gunicorn", "steelwatch.wsgi:application",
            "--bind", opts["bind"],
            "--workers", str(workers),
            "--threads", str(opts["threads"]),
            "--timeout", str(opts["timeout"]),
            "--forwarded-allow-ips", proxies,
            "--access-logfile", "-",
            "--error-logfile", "-",
        ]  # fmt: skip

    def handle(self, *args, **opts):
        argv = self.gunicorn_argv(opts)
        if opts["dry_run"]:
            self.stdout.write(" ".join(argv))
            return
        if not opts["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(f"静态文件：{settings.STATIC_ROOT}")
        if shutil.which(sys.executable) is None:
            raise CommandError(f"找不到 Python：{sys.executable}")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # gunicorn replaces this process: signals reach it directly
