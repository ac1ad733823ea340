"""CLAIM_CHECK_SHARE is read once at start: a share that is no number from 0 to 1 stops the
portal rather than pay claims unchecked (or check none) by a typing error."""

from __future__ import annotations

from decimal import Decimal

import pytest

from provider_portal import create_app
from provider_portal.config import ConfigError
from tests.conftest import app_config


@pytest.mark.parametrize("share", ["20%", "1.5", "-0.1", "NaN", "Infinity"])
def test_a_share_outside_0_to_1_stops_the_start(tmp_path, sqlite_url, clean_redis, share):
    with pytest.raises(ConfigError, match="CLAIM_CHECK_SHARE must be a number from 0 to 1"):
        create_app(app_config(sqlite_url, clean_redis, tmp_path, CLAIM_CHECK_SHARE=share))


def test_the_share_is_a_fifth_unless_set(tmp_path, sqlite_url, clean_redis):
    app = create_app(app_config(sqlite_url, clean_redis, tmp_path))
    assert app.config["CLAIM_CHECK_SHARE"] == Decimal("0.2")
    app = create_app(app_config(sqlite_url, clean_redis, tmp_path, CLAIM_CHECK_SHARE="0.35"))
    assert app.config["CLAIM_CHECK_SHARE"] == Decimal("0.35")
