"""Throwaway backing services for the test-suite (pytest plugin).

Enable with ``pytest_plugins = ["tests.backing_services"]`` in ``tests/conftest.py``.

Session-scoped fixtures:

``redis_server``
    Starts a private ``redis-server`` on a free port (no persistence, in a
    temporary directory) and yields its URL, ``redis://127.0.0.1:PORT/0``.

``postgres_server``
    Starts a private PostgreSQL cluster (``initdb`` + ``pg_ctl``, fsync off)
    and yields a :class:`PostgresServer`.  Call
    ``postgres_server.create_database()`` to get the URL of a fresh, empty
    database: ``postgresql://postgres@127.0.0.1:PORT/DBNAME``.

Both fail (not skip) with a clear message when the server binaries are
missing; run ``make system-deps`` to install them.
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 30.0
_INSTALL_HINT = "Install the system dependencies with `make system-deps`."


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------


def _start_redis(redis_bin: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    import redis

    last_error = ""
    for attempt in range(3):
        port = free_port()
        log_path = workdir / f"redis-{attempt}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [
                    redis_bin,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(workdir),
                    "--daemonize",
                    "no",
                    "--protected-mode",
                    "yes",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=workdir,
            )
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break  # exited: port race or bad config; maybe retry
            try:
                with redis.Redis.from_url(url, socket_timeout=1) as client:
                    if client.ping():
                        return proc, url
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        _stop_process(proc)
        last_error = _tail(log_path)
    raise RuntimeError(f"redis-server did not start (tried 3 ports). Last log:\n{last_error}")


def _stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait()


@contextmanager
def running_redis() -> Iterator[str]:
    """A private redis-server for as long as the block runs (tests and benchmarks); yields its URL."""
    redis_bin = shutil.which("redis-server")
    if redis_bin is None:
        raise RuntimeError(f"redis-server is not installed. {_INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="provider-portal-redis-") as workdir:
        proc, url = _start_redis(redis_bin, Path(workdir))
        try:
            yield url
        finally:
            _stop_process(proc)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """URL (``redis://127.0.0.1:PORT/0``) of a private, throwaway redis-server."""
    server = running_redis()
    try:
        url = server.__enter__()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------


def _postgres_bindir() -> Path | None:
    """Newest /usr/lib/postgresql/*/bin that has initdb, else PATH."""

    def version_key(path: str) -> tuple[int, ...]:
        version = Path(path).parent.name
        return tuple(int(part) for part in re.findall(r"\d+", version)) or (0,)

    candidates = [
        p
        for p in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(os.path.join(p, "initdb"), os.X_OK)
        and os.access(os.path.join(p, "pg_ctl"), os.X_OK)
    ]
    if candidates:
        return Path(max(candidates, key=version_key))
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """Wrap ``cmd`` so it runs as the ``postgres`` OS user when we are root."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    import shlex

    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(cmd)]


def _run(cmd: list[str], what: str, cwd: Path) -> None:
    result = subprocess.run(
        _as_postgres_user(cmd),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{result.stdout}")


def _locale_for_initdb() -> str:
    """C.UTF-8 (so upper()/lower() handle æøå) when available, else C."""
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return "C"
    names = {line.strip().lower() for line in out.splitlines()}
    return "C.UTF-8" if {"c.utf8", "c.utf-8"} & names else "C"


@dataclass
class PostgresServer:
    """A running throwaway PostgreSQL cluster (superuser ``postgres``, trust auth)."""

    host: str
    port: int
    user: str = "postgres"
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False)

    def url(self, dbname: str = "postgres") -> str:
        """URL of database ``dbname`` on this server."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def create_database(self, name: str | None = None) -> str:
        """Create a fresh empty database and return its URL."""
        import psycopg
        from psycopg import sql

        if name is None:
            name = f"test_{next(self._counter)}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(name)
                )
            )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database (terminating its connections)."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a private PostgreSQL server for as long as the block runs (tests and benchmarks)."""
    bindir = _postgres_bindir()
    if bindir is None:
        raise RuntimeError(
            f"PostgreSQL server binaries (initdb, pg_ctl) not found under "
            f"/usr/lib/postgresql/*/bin or on PATH. {_INSTALL_HINT}",
        )
    root = os.geteuid() == 0
    if root:
        try:
            import pwd

            pg_user = pwd.getpwnam("postgres")
        except KeyError as missing:
            raise RuntimeError(
                "Running as root but there is no `postgres` OS user to run "
                f"PostgreSQL as (initdb refuses root). {_INSTALL_HINT}",
            ) from missing

    # Directly under /tmp: pytest's own tmp dirs are 0700 root, which the
    # postgres user could not traverse.
    base = Path(tempfile.mkdtemp(prefix="provider-portal-pg-", dir="/tmp"))
    if root:
        os.chown(base, pg_user.pw_uid, pg_user.pw_gid)
    datadir, sockdir, logfile = base / "data", base / "sock", base / "postgres.log"
    pg_ctl, initdb = str(bindir / "pg_ctl"), str(bindir / "initdb")
    started = False
    try:
        sockdir.mkdir()
        if root:
            os.chown(sockdir, pg_user.pw_uid, pg_user.pw_gid)
        try:
            _run(
                [
                    initdb,
                    "-D",
                    str(datadir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    f"--locale={_locale_for_initdb()}",
                    "--no-sync",
                    "--no-instructions",
                ],
                "initdb",
                cwd=base,
            )
        except RuntimeError as exc:
            raise RuntimeError(str(exc)) from exc

        errors = []
        for _attempt in range(3):
            port = free_port()
            options = (
                f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                _run(
                    [
                        pg_ctl,
                        "-D",
                        str(datadir),
                        "-o",
                        options,
                        "-l",
                        str(logfile),
                        "-w",
                        "-t",
                        str(int(STARTUP_TIMEOUT)),
                        "start",
                    ],
                    "pg_ctl start",
                    cwd=base,
                )
            except RuntimeError as exc:
                errors.append(f"{exc}\n{_tail(logfile)}")
                # make sure a half-started server is gone before retrying
                subprocess.run(
                    _as_postgres_user([pg_ctl, "-D", str(datadir), "-m", "immediate", "stop"]),
                    cwd=base,
                    capture_output=True,
                    check=False,
                )
                continue
            started = True
            break
        if not started:
            raise RuntimeError("PostgreSQL did not start:\n" + "\n---\n".join(errors))

        yield PostgresServer(host="127.0.0.1", port=port)
    finally:
        if started:
            subprocess.run(
                _as_postgres_user([pg_ctl, "-D", str(datadir), "-m", "immediate", "-w", "stop"]),
                cwd=base,
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server; ``.create_database()`` returns a fresh DB URL."""
    try:
        server = running_postgres()
        started = server.__enter__()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield started
    finally:
        server.__exit__(None, None, None)
