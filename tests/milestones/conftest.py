"""Fixtures the milestone tests share with others."""

from tests.procurement.ocds_schema import validator  # noqa: F401  (the fixture is shared)
