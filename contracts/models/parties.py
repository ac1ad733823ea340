"""Providers and the municipality's activation programmes."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Rate, Timestamp, enum_check, utcnow

AGE_RULES = ("under_30", "30_and_over", "all")


class Provider(Base):
    """An external provider (leverandør), identified by its CVR number."""

    __tablename__ = "provider"
    __table_args__ = (
        sa.CheckConstraint("length(cvr) = 8", name="cvr_length"),
        sa.CheckConstraint("gln IS NULL OR length(gln) = 13", name="gln_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    cvr: Mapped[str] = mapped_column(sa.String(8), unique=True)
    gln: Mapped[str | None] = mapped_column(sa.String(13))
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    # The postal address invoices show (DESIGN.md §6); Danish, so no country field.
    street: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(sa.String(4), default="", server_default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class Programme(Base):
    """An activation programme (indsats) with its age rule and weekly hours ceiling."""

    __tablename__ = "programme"
    __table_args__ = (
        enum_check("age_rule", AGE_RULES, "age_rule"),
        sa.CheckConstraint("weekly_hours_ceiling > 0", name="weekly_hours_positive"),
        sa.CheckConstraint(
            "w_outcome >= 0 AND w_delivery >= 0 AND abs(w_outcome + w_delivery - 1) < 0.00005",
            name="score_weights",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    position: Mapped[int] = mapped_column(unique=True)
    name_da: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    age_rule: Mapped[str] = mapped_column(sa.String(20))
    weekly_hours_ceiling: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("37"))
    w_outcome: Mapped[Rate] = mapped_column(default=Decimal("0.6"))
    w_delivery: Mapped[Rate] = mapped_column(default=Decimal("0.4"))
