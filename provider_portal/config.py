"""Configuration from the environment and the instance folder.

The municipality (name, CVR, EAN, yearly budget) lives here, not in code, so another
municipality's installation is a matter of settings.
"""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from contracts.models import ROLES
from contracts.rules.identifiers import cvr_problem, gln_problem
from contracts.rules.milestones import DEFAULT_CHECK_SHARE
from contracts.rules.posting_accounts import accounts_problem, cost_centre_problem


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


def _secret(name: str, instance_path: Path) -> str | None:
    """A secret from the environment, else from the file of that name in the instance folder."""
    value = os.environ.get(name)
    if value:
        return value
    path = instance_path / name.lower()
    if path.is_file():
        return path.read_text(encoding="utf-8").strip() or None
    return None


def database_url(url: str | None, instance_path: Path) -> str:
    """The SQLAlchemy URL: a SQLite file in the instance folder by default; psycopg 3 for PostgreSQL."""
    if not url:
        return f"sqlite:///{instance_path / 'portal.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _roles(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ROLES
    return tuple(name.strip() for name in value.split(",") if name.strip())


def from_environment(instance_path: Path) -> dict:
    """Every setting the app reads, with its default."""
    env = os.environ.get
    return {
        "SECRET_KEY": _secret("SECRET_KEY", instance_path),
        "PSEUDONYM_KEY": _secret("PSEUDONYM_KEY", instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(env("DATABASE_URL"), instance_path),
        "REDIS_URL": env("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # How long a Redis connection waits for a connect or a reply, in seconds
        # (provider_portal.redis_options).
        "REDIS_TIMEOUT": float(env("REDIS_TIMEOUT") or 2),
        "PORTAL_TODAY": env("PORTAL_TODAY") or None,
        "MUNICIPALITY_NAME": env("MUNICIPALITY_NAME", "Københavns Kommune"),
        "MUNICIPALITY_DEPARTMENT": env(
            "MUNICIPALITY_DEPARTMENT", "Beskæftigelses- og Integrationsforvaltningen"
        ),
        "MUNICIPALITY_CVR": env("MUNICIPALITY_CVR", "64942212"),
        "MUNICIPALITY_EAN": env("MUNICIPALITY_EAN", "5798009800275"),
        # The postal address invoices print for the buyer (the employment administration's).
        "MUNICIPALITY_STREET": env("MUNICIPALITY_STREET", "Gyldenløvesgade 15"),
        "MUNICIPALITY_POSTCODE": env("MUNICIPALITY_POSTCODE", "1600"),
        "MUNICIPALITY_CITY": env("MUNICIPALITY_CITY", "København V"),
        "MUNICIPALITY_BUDGET": Decimal(env("MUNICIPALITY_BUDGET", "12600000.00")),
        # The ocid prefix the Open Contracting Partnership registers for a publisher; a
        # placeholder until the municipality has its own.
        "OCDS_OCID_PREFIX": env("OCDS_OCID_PREFIX", "ocds-kbhpp1"),
        # The ERP's posting lines: an account string per programme code (JSON in the
        # environment) and the cost centre. See contracts.rules.posting_accounts for the parts.
        "POSTING_ACCOUNTS": env("POSTING_ACCOUNTS") or DEMO_POSTING_ACCOUNTS,
        "POSTING_COST_CENTRE": env("POSTING_COST_CENTRE", "BIF-JC-4410"),
        # Single sign-on (DESIGN.md §13): the identity provider's metadata file (none: SSO is
        # off), our entity id (default: our metadata's URL on the host asked), and the entity
        # ids of the municipality's own identity providers, whose users may come without a CVR.
        "SAML_IDP_METADATA": env("SAML_IDP_METADATA") or None,
        "SAML_SP_ENTITY_ID": env("SAML_SP_ENTITY_ID") or None,
        # The demo's test identity provider (provider_portal.saml.test_idp): the login button
        # says "(test)".
        "SAML_TEST_IDP": env("SAML_TEST_IDP") == "1",
        # Served over HTTPS (DESIGN.md §16): the session cookie is Secure and named __Host-, the
        # browser is told to use HTTPS only (HSTS). On when PORTAL_URL is an https:// address or
        # HTTPS_ONLY=1; off for `make run` on http://127.0.0.1.
        "HTTPS_ONLY": env("HTTPS_ONLY") == "1" or (env("PORTAL_URL") or "").startswith("https://"),
        # Modules besides the portal's own whose functions a worker may run as jobs (the test
        # suite's, "tests.jobs."); nothing else written into Redis is ever called.
        "EXTRA_JOB_MODULES": tuple(
            name.strip() for name in (env("EXTRA_JOB_MODULES") or "").split(",") if name.strip()
        ),
        # How many proxies in front of the portal set X-Forwarded-For (and -Proto); 0: none,
        # and the header is not believed.
        "PROXY_FIX_HOPS": int(env("PROXY_FIX_HOPS") or 0),
        # The roles whose password accounts give a second factor (DESIGN.md §13): all of them
        # unless the setting names others ("" for none); the demo's users never do.
        "TWO_FACTOR_ROLES": _roles(env("TWO_FACTOR_ROLES")),
        # The key that encrypts TOTP secrets (a Fernet key); made in the instance folder on
        # first use when not given. Keep it with the database's backups: without it every
        # second factor must be enrolled again.
        "TWO_FACTOR_KEY": _secret("TWO_FACTOR_KEY", instance_path),
        # Time budgets (issue 16), in seconds, for each statement on PostgreSQL: a web request's
        # (answered 503 when it runs out), and a job's on the workers, which read whole months.
        "STATEMENT_TIMEOUT": float(env("STATEMENT_TIMEOUT") or 10),
        "JOB_STATEMENT_TIMEOUT": float(env("JOB_STATEMENT_TIMEOUT") or 600),
        # Per user on the API (Flask-Limiter's notation): every call, and the calls that start
        # work on the queue or render a PDF. Counted in Redis, so across every web process.
        "API_RATE_LIMIT": env("API_RATE_LIMIT") or "1200 per minute",
        "API_EXPENSIVE_LIMIT": env("API_EXPENSIVE_LIMIT") or "30 per minute",
        # The share of milestone claims drawn for procurement to verify before they are paid
        # (DESIGN.md §15), from 0 (none) to 1 (all).
        "CLAIM_CHECK_SHARE": env("CLAIM_CHECK_SHARE") or DEFAULT_CHECK_SHARE,
        "SAML_STAFF_IDPS": tuple(
            name.strip() for name in (env("SAML_STAFF_IDPS") or "").split(",") if name.strip()
        ),
    }


# The demo's accounts on function 5.68.90, dranst 1, art 4.9 (services bought with VAT, which the
# municipality recovers), the last part the programme's position. The groupings are not verified
# against the chart of 2018/2019: 014 is taken for the young on education benefit and 013 for
# adults on cash benefit, the non-refunded groupings of those two groups from 2014 as the
# chart's guidance describes them; a real installation takes its accounts from its ERP.
# The cost centre (BIF-JC-4410) is made up for the demo.
DEMO_POSTING_ACCOUNTS = {
    "youth-bridging": "5.68.90.1.014.4.9.01",
    "youth-placement": "5.68.90.1.014.4.9.02",
    "adult-employment": "5.68.90.1.013.4.9.03",
    "utility-work": "5.68.90.1.013.4.9.04",
}


MIN_SECRET_LENGTH = 32
WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development"}


def check(config: dict) -> None:
    """Refuse to start without a real secret key and pseudonym key, with a bad clock, or with
    a municipality's CVR or EAN that is no such number (its e-invoices would be refused)."""
    for name in ("SECRET_KEY", "PSEUDONYM_KEY"):
        value = config.get(name)
        if not value or value.lower() in WEAK_SECRETS or len(value) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"{name} must be set to a random value of at least {MIN_SECRET_LENGTH} characters "
                f"(environment variable {name}, or the file {name.lower()} in the instance "
                "folder; `make run` makes both once)"
            )
    today = config.get("PORTAL_TODAY")
    if today and not isinstance(today, date):
        try:
            config["PORTAL_TODAY"] = date.fromisoformat(today)
        except ValueError:
            raise ConfigError(f"PORTAL_TODAY must be a date YYYY-MM-DD, not {today!r}") from None
    _check_postings(config)
    _check_claim_share(config)
    roles = config.get("TWO_FACTOR_ROLES") or ()
    if isinstance(roles, str):
        roles = config["TWO_FACTOR_ROLES"] = _roles(roles)
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise ConfigError(
            f"TWO_FACTOR_ROLES names unknown roles {unknown}; use some of {', '.join(ROLES)}"
        )
    for name, problem_of in (("MUNICIPALITY_CVR", cvr_problem), ("MUNICIPALITY_EAN", gln_problem)):
        problem = problem_of(str(config.get(name) or ""))
        if problem is not None:
            raise ConfigError(f"{name}: {problem.message}")


def _check_claim_share(config: dict) -> None:
    """CLAIM_CHECK_SHARE as a Decimal from 0 to 1: a share read wrong would pay unchecked claims."""
    value = config.get("CLAIM_CHECK_SHARE")
    try:
        share = Decimal(str(DEFAULT_CHECK_SHARE if value is None else value))
    except ArithmeticError:
        share = None
    if share is None or not share.is_finite() or not 0 <= share <= 1:
        raise ConfigError(f"CLAIM_CHECK_SHARE must be a number from 0 to 1, not {value!r}")
    config["CLAIM_CHECK_SHARE"] = share


def _check_postings(config: dict) -> None:
    """Read POSTING_ACCOUNTS from JSON and refuse an account string or cost centre of another shape.

    A programme left out is allowed here (the programmes are in the database, not known at
    start-up); an export with a line of such a programme is refused and names it.
    """
    accounts = config.get("POSTING_ACCOUNTS")
    if isinstance(accounts, str):
        try:
            accounts = json.loads(accounts)
        except ValueError:
            raise ConfigError(
                'POSTING_ACCOUNTS must be JSON such as {"adult-employment": "5.68.90.1.013.4.9.03"}'
            ) from None
    problem = accounts_problem(accounts)
    if problem is not None:
        raise ConfigError(f"POSTING_ACCOUNTS: {problem}")
    config["POSTING_ACCOUNTS"] = dict(accounts)
    problem = cost_centre_problem(config.get("POSTING_COST_CENTRE"))
    if problem is not None:
        raise ConfigError(f"POSTING_COST_CENTRE: {problem}")
