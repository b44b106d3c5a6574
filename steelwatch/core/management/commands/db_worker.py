"""`steelwatch db_worker`: django-tasks-db's worker, made to survive faults.

- The database going away (PostgreSQL restarting, a dropped connection) no longer ends the worker: the
  polling loop catches OperationalError / InterfaceError, closes the old connections, waits (1 s, doubling to
  30 s) and goes on.
- Jobs run by this worker beat from a heartbeat thread (core/jobs.py), so their lease stays fresh.
- A reaper thread fails (or queues again) jobs whose worker died — on start, then every
  settings.JOB_REAP_SECONDS — and removes uploaded files past their retention period once an hour.
"""

import logging
import threading
import time

from django.db import connection, connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker as base

from steelwatch.core.jobs import enable_heartbeat_thread, jobs_expire_files, jobs_reap

logger = logging.getLogger("steelwatch.worker")
MAX_BACKOFF = 30.0
EXPIRE_EVERY = 3600.0


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # an already broken connection may refuse to close cleanly
            logger.debug("closing a broken connection failed", exc_info=True)


def maintenance_once(*, expire: bool) -> None:
    """One pass of the reaper (and, when due, the file retention); errors are logged, never raised."""
    try:
        reaped = jobs_reap()
        if reaped:
            logger.warning("reaped %d job(s) whose worker died", reaped)
        if expire:
            jobs_expire_files()
    except Exception as exc:
        logger.warning("job maintenance skipped: %s", exc)
        connection.close()


class _Maintenance(threading.Thread):
    def __init__(self, every: float):
        super().__init__(name="job-reaper", daemon=True)
        self.every = every

    def run(self) -> None:
        last_expiry = 0.0
        while True:
            due = time.monotonic() - last_expiry >= EXPIRE_EVERY
            maintenance_once(expire=due)
            if due:
                last_expiry = time.monotonic()
            connection.close()
            time.sleep(self.every)


class ResilientWorker(base.Worker):
    def run(self) -> None:
        from django.conf import settings

        enable_heartbeat_thread()
        maintenance_once(expire=True)  # the jobs a previous worker left behind, before taking new ones
        _Maintenance(settings.JOB_REAP_SECONDS).start()
        backoff = 1.0
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if not self.running:
                    return None
                if time.monotonic() - started > 60:
                    backoff = 1.0  # it had been working: start the back-off again
                logger.warning("database unavailable (%s): retrying in %.0f s", exc, backoff)
                _close_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                self.startup_delay = False


class Command(base.Command):
    help = "运行后台任务进程（数据库重启后自动重连；清理中断的任务）"

    def handle(self, *args, **options):
        base.Worker = ResilientWorker  # the package's handle() builds the worker by this module-level name
        return super().handle(*args, **options)
