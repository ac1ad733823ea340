"""The instance folder holds the keys, the SQLite database and the outbox's mails: the portal's
own user alone may read it (issue 16 found the database 0644 in a 0755 folder).

The folder is kept 0700 whenever the app starts, and the database file the app is about to
create is made 0600 first (SQLite gives its journal and WAL files the database's mode).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def prepare(folder: Path) -> None:
    """Make the folder (0700) or take others' access away from it, if it is the portal's own."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if folder.stat().st_uid == os.geteuid() and folder.stat().st_mode & 0o777 != FOLDER_MODE:
        folder.chmod(FOLDER_MODE)


def prepare_sqlite(database_uri: str) -> None:
    """Create a SQLite database file 0600 before SQLite would create it with the umask's mode."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if not path.parent.is_dir():
        return  # SQLite will refuse it with its own message
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
