"""gunicorn settings for the portal's web processes (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be set from the environment (the unit's EnvironmentFile), so one file serves
every machine. The app is made once per worker process by `provider_portal:create_app()`; it
keeps nothing between requests in the process (DESIGN.md §16), so any number of processes on
any number of machines can serve the same PostgreSQL and Redis.
"""

import multiprocessing
import os

wsgi_app = "provider_portal:create_app()"
# Behind the proxy that ends TLS; 127.0.0.1 unless the proxy is on another machine.
bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
# (2 x cores) + 1 synchronous processes, gunicorn's own advice: a process serves one request at
# a time, the next waiting in the shared queue for whichever process is free first. That keeps
# pages fastest from minute to minute (`make load`: threads share a process's GIL, and its pages
# took 40-100 ms more at p95). WEB_THREADS above 1 serves each process with threads instead,
# for an installation whose logins come in bursts: a login then waits on its thread for its
# password hashing (two at a time, at a lower CPU priority) while the other threads serve pages,
# and the people already in are not held up. Each thread at work holds one database
# connection: keep WEB_THREADS within SQLAlchemy's pool per process (5 + 10 overflow), and size
# PostgreSQL's max_connections for every process on every machine, plus the workers.
workers = int(os.environ.get("WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("WEB_THREADS", "1"))
if not 1 <= threads <= 15:
    raise SystemExit(f"WEB_THREADS is {threads}; use 1 to 15 (the database pool per process)")
# A request (a synchronous process) that takes longer than this is killed and its process
# replaced; with threads this only replaces a process that stops answering its master, and one
# slow request is ended by the database's budget (STATEMENT_TIMEOUT, 10 s, answered 503) and
# the caps on what a request may send.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A fresh process now and then: memory a large upload left behind is given back.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Uploads are read whole by the app (at most 25 MB); limit the request line and headers only.
limit_request_line = 8190
# X-Forwarded-For/-Proto are believed from these addresses only; the app's PROXY_FIX_HOPS
# says how many proxies there are.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# No control socket in the service user's home (gunicorn 24+ makes one there by default).
control_socket_disable = True
# The app is made in each worker after the fork: no database or Redis connection is shared.
preload_app = False


def post_worker_init(worker) -> None:
    # Threaded processes hash passwords on a thread of their own at a lower priority.
    if threads > 1:
        from contracts.services import passwords

        passwords.hash_aside()
