"""Helpers of the fault tests: a throw-away deployment (its own database and data folder) driven through real
processes — `steelwatch db_worker` workers that the tests kill, and short Python snippets that read and write
the deployment's database as a request or a command would."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[3]
PRELUDE = """
import json, os, sys, time
import django
django.setup()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deployment:
    """One deployment: environment, database, data folder, and the worker processes it started."""

    def __init__(self, data_dir: Path, database_url: str | None = None):
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "steelwatch.settings",
            "STEELWATCH_DATA_DIR": str(data_dir),
            "STEELWATCH_DEV": "true",
            "STEELWATCH_DEBUG": "true",
            "STEELWATCH_TASKS": "database",
            "STEELWATCH_JOB_LEASE_SECONDS": "5",
            "STEELWATCH_JOB_REAP_SECONDS": "1",
            "STEELWATCH_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("STEELWATCH_TEST_DB_NAME", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.workers: list[subprocess.Popen] = []

    def py(self, code: str, timeout: float = 120) -> object:
        """Run a snippet in a fresh process of this deployment; its last stdout line is read as JSON."""
        done = subprocess.run(
            [PYTHON, "-c", PRELUDE + textwrap.dedent(code)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"snippet failed ({done.returncode}):\n{done.stderr[-4000:]}")
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def migrate(self) -> None:
        done = subprocess.run(
            [PYTHON, "-m", "steelwatch.cli", "migrate", "--noinput", "-v", "0"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-4000:]

    def start_worker(self, patch: str = "", log: str = "worker.log") -> subprocess.Popen:
        """A real `db_worker` in its own process; `patch` (Python run first) slows a step down to kill it there."""
        code = (
            PRELUDE
            + textwrap.dedent(patch)
            + textwrap.dedent(
                """
            from django.core.management import call_command
            call_command("db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload", "-v", "1")
            """
            )
        )
        out = (self.data_dir / log).open("ab")
        worker = subprocess.Popen([PYTHON, "-c", code], env=self.env, cwd=ROOT, stdout=out, stderr=out)
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    def stop_all(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)

    def wait_for(self, what: str, code: str, until, timeout: float = 60, every: float = 0.5):
        """Poll the snippet until `until(value)`; fail naming `what` with the last value."""
        deadline, value = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            value = self.py(code)
            if until(value):
                return value
            time.sleep(every)
        raise AssertionError(f"timed out waiting for {what}; last: {value!r}")

    def wait_for_file(self, path: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not path.exists():
            if time.monotonic() > deadline:
                log = (self.data_dir / "worker.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"{path.name} never appeared; worker log:\n{log}")
            time.sleep(0.2)


# --- a private PostgreSQL cluster (never the shared server) --------------------------------------------------


def initdb_binary() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1]
    which = shutil.which("initdb")
    return Path(which) if which else None


class PrivateCluster:
    """initdb + pg_ctl on a free port in a temp folder. As root, the server runs as the `postgres` user."""

    def __init__(self):
        initdb = initdb_binary()
        if initdb is None:
            pytest.skip("没有 initdb：无法启动私有 PostgreSQL 集群（安装 postgresql 后再运行）")
        self.bin = initdb.parent
        # its own folder under /tmp: pytest's temp folders are private to root, the server runs as postgres
        self.folder = Path(tempfile.mkdtemp(prefix="steelwatch-pg-"))
        folder = self.folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("以 root 运行且没有 runuser：无法以 postgres 用户启动私有集群")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/steelwatch_faults"

    def _run(self, *args: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )
        assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]}"

    def start(self) -> None:
        if not self.data.exists():
            self._run(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "pg.log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def create_database(self) -> None:
        self._run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "steelwatch_faults",
        )

    def restart(self) -> None:
        # -l again: without it the restarted server would write to (and hold open) this process's pipes
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "pg.log"),
            "-m",
            "fast",
            "-w",
            "restart",
        )

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [
                    *self.as_user,
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.folder, ignore_errors=True)
