"""Backing services a fault test may stop and start again, private to its module: a Redis that
keeps its data on disk as production's must (append-only file), restarted on the same port, and
the restart of a PostgreSQL cluster started by tests.backing_services."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from tests.backing_services import (
    STARTUP_TIMEOUT,
    PostgresServer,
    _as_postgres_user,
    _postgres_bindir,
    _stop_process,
    _tail,
    free_port,
)


class StoppableRedis:
    """A redis-server on a port of its own that can be stopped (SIGTERM, as an operator's
    `systemctl stop` does) and started again with what it held: jobs queued before the stop are
    still queued after it, as with the append-only file the deployment notes ask for."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed; run `make system-deps`")
        self.folder = Path(tempfile.mkdtemp(prefix="provider-portal-fault-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.folder / "redis.log"
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "yes",
                    "--dir",
                    str(self.folder),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.folder,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert self.process.poll() is None, f"redis-server exited:\n{_tail(log)}"
            try:
                with redis.Redis.from_url(self.url, socket_timeout=1) as client:
                    if client.ping():
                        return
            except redis.exceptions.RedisError:
                assert time.monotonic() < deadline, f"redis-server did not start:\n{_tail(log)}"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            _stop_process(self.process)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def data_directory(server: PostgresServer) -> str:
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        return connection.execute("SHOW data_directory").fetchone()[0]


def restart_postgres(server: PostgresServer, folder: str) -> None:
    """`pg_ctl restart -m fast`: every connection is cut, the server is back when it returns."""
    pg_ctl = str(_postgres_bindir() / "pg_ctl")
    result = subprocess.run(
        _as_postgres_user(
            [
                pg_ctl,
                "-D",
                folder,
                "-l",
                str(Path(folder).parent / "postgres.log"),
                "-m",
                "fast",
                "-w",
                "restart",
            ]
        ),
        cwd="/tmp",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
