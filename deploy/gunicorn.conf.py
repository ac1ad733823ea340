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
# (2 x cores) + 1 processes, gunicorn's own advice, each with threads: a login waits for its
# argon2 hashing (two at a time per process, at a lower CPU priority, contracts/services/accounts)
# on a thread while the process's other threads serve pages, so a burst of logins does not hold
# up the people already in (`make load`). Each thread at work holds one database connection:
# keep WEB_THREADS within SQLAlchemy's pool per process (5 + 10 overflow), and size PostgreSQL's
# max_connections for every process on every machine, plus the workers.
workers = int(os.environ.get("WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("WEB_THREADS", "12"))
if not 1 <= threads <= 15:
    raise SystemExit(f"WEB_THREADS is {threads}; use 1 to 15 (the database pool per process)")
# A worker process that has not told the master it lives for this long is killed and replaced.
# With threads this bounds a stuck process, not one slow request: a request is bounded by the
# database's budget (STATEMENT_TIMEOUT, 10 s, answered 503) and the caps on what it may send.
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
