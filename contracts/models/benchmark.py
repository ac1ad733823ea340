"""Benchmark packages imported from peer municipalities (DESIGN.md §12), kept as received."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamp, utcnow


class BenchmarkImport(Base):
    """A verified package: who sent it (by its key), its period, and the package itself, signature
    and all, so it can be verified again; who imported it and when."""

    __tablename__ = "benchmark_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(sa.String(200))
    cvr: Mapped[str] = mapped_column(sa.String(8), index=True)
    key_id: Mapped[str] = mapped_column(sa.String(64))
    period_from: Mapped[str] = mapped_column(sa.String(7))
    period_to: Mapped[str] = mapped_column(sa.String(7))
    package: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    imported_at: Mapped[Timestamp] = mapped_column(default=utcnow)
