"""deploy/ as far as this machine allows (issue 16): the example environment names every
setting the code reads, systemd accepts the units, and gunicorn with deploy/gunicorn.conf.py
serves the login page and stops cleanly on SIGTERM, as `systemctl stop` asks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.faults.web import deployed_web

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def settings_read_by_the_code() -> set[str]:
    """Every name the portal reads from the environment: config.py's env()/_secret(), the mail
    settings, and os.environ.get() anywhere in provider_portal."""
    names: set[str] = set()
    for path in (ROOT / "provider_portal").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', text))
        if path.name == "config.py":
            names |= set(re.findall(r'\b(?:env|_secret)\(\s*"([A-Z][A-Z0-9_]+)"', text))
    from provider_portal.mail import SETTINGS

    return names | set(SETTINGS)


def test_the_example_environment_names_every_setting_the_code_reads():
    example = (DEPLOY / "portal.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    read = settings_read_by_the_code()
    assert {"DATABASE_URL", "REDIS_URL", "PSEUDONYM_KEY", "STATEMENT_TIMEOUT"} <= read
    assert read - named == set(), "not in deploy/portal.env.example"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units(tmp_path):
    """Verified as installed: paths pointed at this checkout, run as the current user."""
    user = os.environ.get("USER") or "root"
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/opt/provider-portal/.venv", sys.prefix)
        text = text.replace("/opt/provider-portal", str(ROOT))
        text = text.replace("/etc/provider-portal/portal.env", str(DEPLOY / "portal.env.example"))
        text = re.sub(r"^(User|Group)=portal$", rf"\1={user}", text, flags=re.MULTILINE)
        name = unit.name.replace("@.service", "@aggregation.service")
        (tmp_path / name).write_text(text, encoding="utf-8")
        units.append(f"./{name}")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert len(units) == 3


def test_gunicorn_with_the_deploy_configuration_serves_and_stops_cleanly(
    sqlite_url, own_redis, tmp_path
):
    with deployed_web(sqlite_url, own_redis.url, tmp_path, workers=2) as (web, address):
        with urlopen(f"{address}/login", timeout=30) as answer:  # nosec B310
            page = answer.read().decode("utf-8")
        assert "Log ind" in page
    output = (tmp_path / "gunicorn.log").read_text()
    assert web.returncode == 0, output
    assert "Booting worker" in output and "Shutting down: Master" in output
    assert "Traceback" not in output, output


def test_every_worker_unit_the_deploy_folder_names_listens_on_a_queue():
    """`provider-portal-worker@aggregation:2`, a second aggregation worker on one machine, is
    the aggregation queue (worker.py would refuse a queue it does not know)."""
    from provider_portal.jobs.queues import QUEUES
    from worker import queue_names

    named = set()
    for path in (DEPLOY / "systemd" / "provider-portal-worker@.service", DEPLOY / "README.md"):
        named |= set(re.findall(r"provider-portal-worker@([\w:]+)", path.read_text("utf-8")))
    assert "aggregation:2" in named
    for instance in named:
        assert queue_names([instance]) == [instance.split(":")[0]]
        assert queue_names([instance])[0] in QUEUES
    assert queue_names([]) == list(QUEUES)
