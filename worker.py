"""The RQ worker: create the app, prepare the mappers and statements, run the worker. Nothing else.

Run one or more with `python worker.py` (queues: aggregation, documents, default, mail; all of
them unless named, `aggregation:2` naming the aggregation queue too); all use REDIS_URL and
DATABASE_URL from the environment, as the web app does.
"""

from __future__ import annotations

import logging
import sys

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import configure_mappers

from contracts.services import invoicing
from provider_portal import create_app
from provider_portal.extensions import db
from provider_portal.jobs.liveness import (
    JOB_MONITORING_INTERVAL,
    MAINTENANCE_INTERVAL,
    WORKER_TTL,
    note_abandoned,
)
from provider_portal.jobs.queues import (
    QUEUES,
    AppContextJob,
    PlainSerializer,
    queue,
    redis_connection,
)
from provider_portal.jobs.worker_class import PortalWorker, work_until_stopped

log = logging.getLogger("worker")


class QuietCleanups(logging.Filter):
    """Drops RQ's lines for each registry cleanup: with cleanups every MAINTENANCE_INTERVAL
    (15 s, so a dead worker's job is handed back soon) they would be most of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return ": cleaning " not in str(record.msg)


def warm_up() -> None:
    """Compile the invoicing statements once here, so that no job compiles them again (half
    of a small contract's job time): the aggregation queue's jobs run in this process, and
    the other queues' forked horses inherit them."""
    try:
        invoicing.prepare(db.session)
    except SQLAlchemyError:
        log.warning(
            "could not prepare the invoicing statements; each job will compile its own",
            exc_info=True,
        )
    finally:
        db.session.rollback()


def queue_names(argv: list[str]) -> list[str]:
    """The queues named (every queue when none). `aggregation:2` is the aggregation queue: the
    suffix only tells apart several systemd units of one queue on a machine."""
    return list(dict.fromkeys(arg.split(":", 1)[0] for arg in argv)) or list(QUEUES)


def main(argv: list[str]) -> None:
    app = create_app({"SQLITE_BEGIN_IMMEDIATE": True})
    configure_mappers()
    with app.app_context():
        warm_up()
        # Nothing pooled yet when RQ forks its scheduler; the jobs open the pool's connections.
        db.engine.dispose()
        connection = redis_connection(app.config["REDIS_URL"])
    AppContextJob.app = app
    logging.getLogger("rq.worker").addFilter(QuietCleanups())
    queues = [queue(name, connection) for name in queue_names(argv)]

    def worker() -> PortalWorker:
        return PortalWorker(
            queues,
            connection=connection,
            job_class=AppContextJob,
            serializer=PlainSerializer,
            # Heartbeats every 5 s, in a job or idle, and frequent cleanups hand a dead
            # worker's jobs back within a minute (see provider_portal.jobs).
            job_monitoring_interval=JOB_MONITORING_INTERVAL,
            worker_ttl=WORKER_TTL,
            maintenance_interval=MAINTENANCE_INTERVAL,
            exception_handlers=[note_abandoned],
        )

    # The scheduler runs the retries that Retry(interval=...) schedules; RQ lets one worker hold it.
    work_until_stopped(worker, with_scheduler=True, logging_level="INFO")


if __name__ == "__main__":
    main(sys.argv[1:])
