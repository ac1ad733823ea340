#!/usr/bin/env bash
# Run Provider Portal locally: private redis-server + RQ worker + rq cron + gunicorn.
#
# Usually started through `make run` (which installs system packages and the
# virtualenv first).  Stops everything on Ctrl-C / SIGTERM.
#
# Environment knobs:
#   REDIS_PORT    port for the private redis-server (default 6379; an already
#                 running redis on that port that answers PING is reused)
#   WEB_PORT      port for the web app (default 5000)
#   WEB_WORKERS   gunicorn's web processes (default 2)
#   PORTAL_TODAY  the app's "today" (default 2019-01-24, the demo's date)
#   IDP_PORT      port for the demo's test identity provider (default: a free one); set
#                 SAML_IDP_METADATA to a real identity provider's metadata to start none
#   VENV          virtualenv directory (default .venv)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
VENV="${VENV:-.venv}"
FLASK=("$VENV/bin/flask" --app provider_portal)
PY="$VENV/bin/python"
REDIS_PORT="${REDIS_PORT:-6379}"
WEB_PORT="${WEB_PORT:-5000}"
INSTANCE="$ROOT/instance"

log() { printf '[run] %s\n' "$*"; }
die() { printf '[run] ERROR: %s\n' "$*" >&2; exit 1; }

[[ -x "$PY" ]] || die "$VENV is missing; run 'make run' (or 'make install') first."

# ---------------------------------------------------------------- instance
mkdir -p "$INSTANCE"
# Keys are generated ONCE and then kept: a new pseudonym key would stop the
# portal from recognising citizens it has already pseudonymised.
make_key() {
    local file="$INSTANCE/$1"
    if [[ ! -s "$file" ]]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_hex(32))' >"$file.tmp")
        mv "$file.tmp" "$file"
        log "created $1 in instance/ (keep it!)"
    fi
}
make_key secret_key
make_key pseudonym_key
# Redis runs jobs and holds the login counters: nobody reaches it without this password.
make_key redis_password
REDIS_PASSWORD="$(<"$INSTANCE/redis_password")"

SECRET_KEY="$(<"$INSTANCE/secret_key")"
PSEUDONYM_KEY="$(<"$INSTANCE/pseudonym_key")"
export SECRET_KEY PSEUDONYM_KEY
export REDIS_URL="redis://:${REDIS_PASSWORD}@127.0.0.1:${REDIS_PORT}/0"
export PORTAL_TODAY="${PORTAL_TODAY:-2019-01-24}"
# Every log (web, worker, scheduler, Redis) in Copenhagen time, as the portal shows its times.
export TZ="${TZ:-Europe/Copenhagen}"

# ------------------------------------------------------- process handling
# Job control: every background child gets its own process group, so we can
# stop each one together with its own children (e.g. the RQ work horse), and
# a terminal Ctrl-C reaches only this script, which then shuts down in order.
set -m
PIDS=()
NAMES=()

stop_one() {  # stop_one INDEX: SIGTERM to its process group, up to 10 s, then SIGKILL
    local i=$1 deadline=$((SECONDS + 10))
    kill -TERM -- "-${PIDS[i]}" 2>/dev/null || kill -TERM "${PIDS[i]}" 2>/dev/null || return 0
    while kill -0 "${PIDS[i]}" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.1
    done
    if kill -0 "${PIDS[i]}" 2>/dev/null; then
        log "${NAMES[i]} did not stop in time; killing it"
        kill -KILL -- "-${PIDS[i]}" 2>/dev/null || kill -KILL "${PIDS[i]}" 2>/dev/null || true
    fi
    wait "${PIDS[i]}" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - INT TERM EXIT
    set +m  # no "[1]+ Terminated" job notices while stopping
    if ((${#PIDS[@]})); then
        # One at a time, in reverse order of starting: web, cron, worker, test IdP, then redis,
        # so the worker finishes its job and says goodbye while Redis still answers.
        local i
        for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
            log "stopping ${NAMES[i]}"
            stop_one "$i"
        done
        log "stopped."
    fi
    exit "$status"
}
trap cleanup EXIT
# Ctrl-C or SIGTERM is a stop asked for, not a failure: exit 0, so make adds no "Error 130".
trap 'exit 0' INT TERM

start() {  # start NAME CMD...
    local name=$1
    shift
    "$@" </dev/null &
    PIDS+=("$!")
    NAMES+=("$name")
}

# PONG from the redis on REDIS_PORT; with an argument, after AUTH with that password.
redis_ping() {
    if command -v redis-cli >/dev/null 2>&1; then
        if [[ -n "${1:-}" ]]; then
            [[ "$(REDISCLI_AUTH="$1" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
        else
            [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
        fi
    else
        "$PY" - "$REDIS_PORT" "${1:-}" <<'EOF' >/dev/null 2>&1
import sys, redis
client = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), password=sys.argv[2] or None, socket_timeout=1)
sys.exit(0 if client.ping() else 1)
EOF
    fi
}

# ------------------------------------------------------------------ redis
if redis_ping; then
    # Someone's redis without a password: used as it is, and said so.
    log "reusing the redis already answering on 127.0.0.1:$REDIS_PORT (it has no password)"
    export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
elif redis_ping "$REDIS_PASSWORD"; then
    log "reusing the portal's redis already answering on 127.0.0.1:$REDIS_PORT"
else
    command -v redis-server >/dev/null 2>&1 || die "redis-server not installed; run 'make system-deps'."
    # Never on a command line, where ps shows it: redis reads it from its standard input.
    REDIS_REQUIREPASS="$REDIS_PASSWORD" start redis bash -c \
        'printf "requirepass %s\n" "$REDIS_REQUIREPASS" | exec redis-server - --port "$1" \
        --bind 127.0.0.1 --save "" --appendonly no --dir "$2" --daemonize no --loglevel warning' \
        redis "$REDIS_PORT" "$INSTANCE"
    for _ in $(seq 100); do
        redis_ping "$REDIS_PASSWORD" && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || die "redis-server exited (is port $REDIS_PORT taken by something that is not redis? set REDIS_PORT)."
        sleep 0.1
    done
    redis_ping "$REDIS_PASSWORD" || die "redis-server did not answer PING on port $REDIS_PORT."
    log "redis-server running on 127.0.0.1:$REDIS_PORT, with a password (instance/redis_password)"
fi

# --------------------------------------------------------------- database
log "flask init-db"
"${FLASK[@]}" init-db
if [[ ! -e "$INSTANCE/.demo-loaded" ]]; then
    log "flask demo-data"
    "${FLASK[@]}" demo-data
    touch "$INSTANCE/.demo-loaded"
    # The worker started below turns the demo's accepted reports into invoices and scores.
    log "flask aggregate --all-months"
    "${FLASK[@]}" aggregate --all-months
    DEMO_JUST_LOADED=1
else
    log "demo data already loaded (delete instance/.demo-loaded to force)"
fi

# ---------------------------------------------- single sign-on (test IdP)
# A demo aid only: pysaml2's IdP, which lets anyone log in as a demo person (MitID Erhverv
# for the demo provider's coordinator, the municipality's CVR for procurement). It fetches
# the portal's metadata at the first login and writes its own to instance/.
if [[ -z "${SAML_IDP_METADATA:-}" ]]; then
    IDP_PORT="${IDP_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    IDP_METADATA="$INSTANCE/test_idp_metadata.xml"
    rm -f "$IDP_METADATA"
    start test-idp "$PY" -m provider_portal.saml.test_idp --port "$IDP_PORT" \
        --sp-metadata-url "http://127.0.0.1:${WEB_PORT}/saml/metadata" \
        --key-dir "$INSTANCE/test_idp" --metadata-out "$IDP_METADATA"
    for _ in $(seq 100); do
        [[ -s "$IDP_METADATA" ]] && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || die "the test identity provider exited."
        sleep 0.1
    done
    [[ -s "$IDP_METADATA" ]] || die "the test identity provider wrote no metadata."
    export SAML_IDP_METADATA="$IDP_METADATA" SAML_TEST_IDP=1
    log "test identity provider (demo only) on http://127.0.0.1:$IDP_PORT"
fi

# ---------------------------------------------------------- worker + web
start worker "$PY" worker.py
if [[ "${DEMO_JUST_LOADED:-0}" == 1 ]]; then
    # By the demo's day procurement has attested and finance approved 2018 up to November;
    # procurement attested December's invoices yesterday and they wait for finance. This waits
    # for the worker's aggregation first.
    log "flask approve-demo --up-to 2018-11 --attest-also 2018-12"
    "${FLASK[@]}" approve-demo --up-to 2018-11 --attest-also 2018-12 --wait 600
    # The demo's day's reminders, and every mail of its story still pending, to the outbox
    # (each dated on its day of the story); run again, it sends nothing new.
    log "flask send-reminders"
    "${FLASK[@]}" send-reminders
fi
# Exactly one scheduler; cron strings are in Copenhagen time (TZ above).
# The URL (with the password) from the environment, not the command line.
RQ_REDIS_URL="$REDIS_URL" start cron "$VENV/bin/rq" cron --path "$ROOT" provider_portal.jobs.schedule
# The web under gunicorn, as in production (deploy/gunicorn.conf.py): request timeouts, two
# processes; it stops gracefully on the SIGTERM that Ctrl-C's cleanup sends.
WEB_BIND="127.0.0.1:${WEB_PORT}" WEB_WORKERS="${WEB_WORKERS:-2}" \
    start web "$VENV/bin/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py"

cat <<EOF

  Provider Portal: http://127.0.0.1:${WEB_PORT}/login   (today is ${PORTAL_TODAY})
  Demo users, all with password  demo-password
    indkob@demo.dk       procurement
    leverandor@demo.dk   provider
    okonomi@demo.dk      finance
    admin@demo.dk        admin
  Or "Log ind med MitID Erhverv (test)" on the login page: a test identity provider
  (demo only) where you pick a person.
  Press Ctrl-C to stop.

EOF

# Run until a child exits (then stop the rest) or we are signalled.
set +e
wait -n "${PIDS[@]}"
status=$?
set -e
log "a process exited (status $status); shutting down"
exit "$status"
