"""The portal's web as deployed: gunicorn with deploy/gunicorn.conf.py, for the fault tests."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from tests.backing_services import free_port
from tests.conftest import process_environment

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@contextmanager
def deployed_web(database_url: str, redis_url: str, folder: Path, workers: int, **settings):
    """gunicorn with deploy/gunicorn.conf.py, answering; stopped by SIGTERM at the end (as
    `systemctl stop` does), its log in `folder`/gunicorn.log. Yields the process and address."""
    port = free_port()
    env = process_environment(
        database_url,
        redis_url,
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS=str(workers),
        WEB_ACCESS_LOG=str(folder / "access.log"),
        **settings,
    )
    log = open(folder / "gunicorn.log", "wb")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"{address}/login", timeout=30):  # nosec B310
                    break
            except (URLError, OSError):  # refused, or not answered while the workers boot
                assert web.poll() is None, (folder / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, (folder / "gunicorn.log").read_text()
                time.sleep(0.2)
        yield web, address
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=40)
        log.close()
