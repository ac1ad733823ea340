#!/usr/bin/env bash
# Install the Debian packages Provider Portal needs (idempotent).
#
# Only installs what is missing; runs `apt-get update` at most once and only
# when something has to be installed.  Our scripts never rely on the
# system-wide redis/postgresql services (Debian's postinst may start them;
# that is harmless).
set -euo pipefail

PACKAGES=(
    redis-server
    postgresql
    poppler-utils
    # pysaml2 signs, verifies and decrypts SAML messages by calling xmlsec1.
    xmlsec1
    chromium
    fonts-dejavu-core
    fonts-liberation
)

is_installed() {
    local status
    status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! is_installed "$pkg"; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "system-deps: all Debian packages present (${PACKAGES[*]})"
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "system-deps: missing packages: ${missing[*]}" >&2
    echo "system-deps: not root and sudo is unavailable; install them as root." >&2
    exit 1
fi

echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "system-deps: done"
