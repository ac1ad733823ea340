"""Sending notifications: by a job on the `mail` queue once the transaction that stored them is
committed, through SMTP (MAIL_SERVER) or into the outbox, each at most once.

- The domain stores a notification per event and recipient (contracts.services.notifications)
  and lists the new ids in the session; when that session commits, `_committed` enqueues one
  job per id (`mail-<id>`), or, with MAIL_SEND_INLINE, sends them at once in a session of
  its own (for an installation without a worker, and the tests).
- The job sends the mail and marks it sent in one transaction; one already sent is skipped,
  so a retried or repeated job sends nothing new. An SMTP server that refuses or is down
  fails the job (the notification stays pending) and RQ retries it with growing pauses
  (MAIL_RETRY_INTERVALS); a job out of retries lies on the failed-jobs page, and the day's
  schedule enqueues every pending notification again.
- A one-time link's token is never stored: it travels in its job's arguments only.
"""

from __future__ import annotations

import logging
from email.utils import format_datetime

import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMultiAlternatives, Mail
from redis.exceptions import RedisError
from rq import Retry
from rq.job import JobStatus
from sqlalchemy.orm import Session

from contracts.models import Notification, User, utcnow
from contracts.rules.periods import COPENHAGEN
from contracts.services.notifications import LINK_KINDS, WRITTEN, pending_ids

from .. import transaction
from ..extensions import db
from ..jobs.liveness import delete
from ..jobs.queues import fetch, queue
from .messages import render
from .outbox import KIND_HEADER, OutboxBackend

log = logging.getLogger(__name__)

mail = Mail()
DEFAULT_FROM = "noreply@provider-portal.invalid"
# session.info key: one-time links' tokens by notification id, for the jobs' arguments only.
SECRETS = "notification_secrets"
JOB_TIMEOUT = 60
FAILURE_TTL = 30 * 24 * 3600
LINK_FAILURE_TTL = 72 * 3600  # a link is dead after 72 hours: so is its token in Redis
DEFAULT_RETRY_INTERVALS = (30, 120, 600, 1800, 3600, 3600)
ENDED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def connection():
    """SMTP from configuration when MAIL_SERVER is set, else the outbox."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return OutboxBackend(mailman=mail.state)
    return mail.get_connection(
        backend="smtp",
        host=config["MAIL_SERVER"],
        port=int(config.get("MAIL_PORT") or 25),
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=bool(config.get("MAIL_USE_TLS")),
        timeout=float(config["MAIL_TIMEOUT"]),
    )


def deliver(session: Session, notification_id: int, secret: str | None = None) -> bool:
    """Send one notification unless it was sent already; marks it sent (the caller commits).
    Returns True when a mail went out. A mail that cannot be sent raises, leaving it pending."""
    notification = session.get(Notification, notification_id, with_for_update=True)
    if notification is None or notification.sent_at is not None:
        return False
    user = session.get(User, notification.user_id)
    if notification.kind in LINK_KINDS and secret is None:
        return False  # its token is gone with its job; the user asks for a new link
    if not user.is_active and notification.kind not in LINK_KINDS:
        notification.sent_at = utcnow()  # nobody to tell any more
        return False
    subject, text, html = render(notification, user, secret)
    message = EmailMultiAlternatives(
        subject,
        text,
        current_app.config.get("MAIL_FROM") or DEFAULT_FROM,
        [user.email],
        connection=connection(),
        # Dated when its event happened: also when an SMTP server that was down sends it late,
        # and in the demo, whose story's mails are dated on the story's days.
        headers={
            KIND_HEADER: notification.kind,
            "Date": format_datetime(notification.created_at.astimezone(COPENHAGEN)),
        },
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
    notification.sent_at = utcnow()
    session.flush()
    return True


def send(notification_id: int, secret: str | None = None) -> bool:
    """The `mail` queue's job (AppContextJob commits when it returns)."""
    return deliver(db.session, notification_id, secret)


def enqueue(ids: list[int], secrets: dict[int, str] | None = None) -> None:
    """One job per notification on the `mail` queue; a job still waiting or running is left be.
    With Redis out of reach the notifications stay pending for the day's catch-up."""
    secrets = secrets or {}
    intervals = list(current_app.config.get("MAIL_RETRY_INTERVALS") or DEFAULT_RETRY_INTERVALS)
    try:
        mail_queue = queue("mail")
        for notification_id in ids:
            job_id = f"mail-{notification_id}"
            existing = fetch(job_id, mail_queue.connection)
            if existing is not None:
                if existing.get_status(refresh=False) not in ENDED:
                    continue
                delete(existing)
            secret = secrets.get(notification_id)
            mail_queue.enqueue(
                "provider_portal.mail.delivery.send",
                notification_id,
                secret=secret,
                job_id=job_id,
                job_timeout=JOB_TIMEOUT,
                result_ttl=0,
                failure_ttl=LINK_FAILURE_TTL if secret else FAILURE_TTL,
                retry=Retry(max=len(intervals), interval=intervals),
            )
    except RedisError:
        log.warning("mails %s not enqueued (Redis out of reach); they stay pending", ids)


def send_inline(ids: list[int], secrets: dict[int, str] | None = None) -> None:
    """Send now, each in a transaction of its own as the mail queue's job would be (the one that
    stored them has just committed); a mail that fails stays pending."""
    secrets = secrets or {}
    for notification_id in ids:
        try:
            transaction.committed(send)(notification_id, secrets.get(notification_id))
        except Exception:
            log.warning("mail %s not sent; it stays pending", notification_id, exc_info=True)


def enqueue_pending(session: Session) -> int:
    """Send every pending notification again once the transaction commits (the day's
    catch-up; a one-time link's cannot be, its token is gone); returns how many."""
    ids = pending_ids(session)
    links = set(
        session.scalars(
            sa.select(Notification.id).where(
                Notification.id.in_(ids), Notification.kind.in_(LINK_KINDS)
            )
        )
    )
    ids = [i for i in ids if i not in links]
    if ids:
        transaction.after_commit(_send, ids, None)
    return len(ids)


def _committed(session: Session) -> None:
    """Hand the committed notifications to the commit's edge (transaction.commit runs them next).
    A commit made outside an edge (a test's fixture) leaves them pending for the catch-up."""
    ids = session.info.pop(WRITTEN, None)
    secrets = session.info.pop(SECRETS, None)
    if ids:
        transaction.after_commit(_send, ids, secrets)


def _send(ids: list[int], secrets: dict[int, str] | None) -> None:
    if current_app.config.get("MAIL_SEND_INLINE"):
        send_inline(ids, secrets)
    else:
        enqueue(ids, secrets)


def _rolled_back(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(WRITTEN, None)
        session.info.pop(SECRETS, None)


sa.event.listen(Session, "after_commit", _committed)
sa.event.listen(Session, "after_soft_rollback", _rolled_back)
