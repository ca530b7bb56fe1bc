"""Regions (a län, a samordningsförbund) that units belong to, and who may use whose offers.

An employer has a home unit (the one that verified it and keeps the relationship); each of its
offers is shared with the home unit only, with named partner units, or with the home unit's whole
region (`Offer.sharing`). The rule that reads these columns is `services.sharing`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Named partner units of an offer shared as `partners` (besides the employer's home unit).
offer_partner_units = Table(
    "offer_partner_units",
    Base.metadata,
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)
