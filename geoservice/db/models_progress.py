"""The table of the progress service (migration ``0008_progress``), on the models' ``Base`` and
imported by :mod:`geoservice.db.models`, so alembic and the model check see it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ARRAY, BigInteger, CheckConstraint, DateTime, Identity, Text, column, func
from sqlalchemy.orm import Mapped, mapped_column

from geoservice.db.models import Base

QUALITY_KINDS = (
    "number_missing", "group_missing", "number_short", "number_double", "layer_empty",
    "near_duplicate", "name_mismatch",
)  # fmt: skip
QUALITY_DECISIONS = ("keep_both", "merge", "move", "correct")


class QualityDecision(Base):
    """What the walidata decided about one finding of the quality queue: the finding's
    ``subject`` (its kind and what it is about, e.g. ``number_missing:35.71.01.1001:rt:2:3``)
    is unique, so a decided finding is never asked again. Rows are only ever added."""

    __tablename__ = "quality_decision"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    subject: Mapped[str] = mapped_column(Text(collation="C"), unique=True)
    kind: Mapped[str] = mapped_column(Text)
    kelurahan_code: Mapped[str] = mapped_column(Text(collation="C"), index=True)
    layer_id: Mapped[str | None] = mapped_column(Text)
    facility_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")
    decision: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint(column("kind").in_(QUALITY_KINDS), name="kind"),
        CheckConstraint(column("decision").in_(QUALITY_DECISIONS), name="decision"),
    )
