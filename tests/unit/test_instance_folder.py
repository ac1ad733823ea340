"""The instance folder and the SQLite database the app creates are its own user's alone
(issue 16 found the database 0644 in a 0755 folder)."""

from __future__ import annotations

import sqlite3
import stat

from provider_portal import create_app
from provider_portal.instance_folder import prepare, prepare_sqlite
from tests.conftest import app_config


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_folder_is_made_0700_and_an_open_one_is_closed(tmp_path):
    made = tmp_path / "instance"
    prepare(made)
    assert _mode(made) == 0o700
    opened = tmp_path / "old-instance"
    opened.mkdir(mode=0o755)
    opened.chmod(0o755)
    prepare(opened)
    assert _mode(opened) == 0o700


def test_a_new_database_and_its_wal_are_0600(tmp_path):
    database = tmp_path / "portal.db"
    prepare_sqlite(f"sqlite:///{database}")
    assert _mode(database) == 0o600
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (1)")
        wal = tmp_path / "portal.db-wal"
        assert wal.exists() and _mode(wal) == 0o600
    prepare_sqlite(f"sqlite:///{database}")  # an existing database is left as it is
    assert _mode(database) == 0o600
    prepare_sqlite("sqlite://")  # in memory: nothing to make
    prepare_sqlite("postgresql://portal@127.0.0.1/portal")


def test_the_app_makes_its_sqlite_database_0600(tmp_path, redis_server):
    database = tmp_path / "new.db"
    create_app(app_config(f"sqlite:///{database}", redis_server, tmp_path))
    assert _mode(database) == 0o600
