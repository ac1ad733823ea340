#!/usr/bin/env bash
# The browser journeys, run N times in a row (5 by default) beside two processes that each burn
# a CPU: they wait for what they need, not for time, so a busy machine must not fail them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
.venv/bin/python -c 'while True: pass' & first=$!
.venv/bin/python -c 'while True: pass' & second=$!
trap 'kill $first $second' EXIT
for run in $(seq "$runs"); do
    echo "run $run of $runs"
    .venv/bin/python -m pytest tests/browser -q -p no:cacheprovider
done
