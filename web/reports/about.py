"""The block at the top of every report file: what it is, for which period, unit and filters,
and when it was made (local time), so that a file that travels by e-mail explains itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _

from models import Session, Unit, User, utcnow
from services.reports.scope import Scope
from web.choices import label


def _day(value: Any) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.isoformat() if value else "…"


def about_rows(title: Any, scope: Scope, data: dict[str, Any]) -> list[tuple[str, str]]:
    f = scope.filters
    if scope.unit_id is not None:
        unit = Session.get(Unit, scope.unit_id)
        unit_text = unit.name if unit is not None else str(scope.unit_id)
    else:
        unit_text = _("Alla enheter")
    if scope.coach_id is not None:
        coach = Session.get(User, scope.coach_id)
        unit_text += " – " + _("ärendelista för %(name)s", name=coach.name if coach else "?")
    picked = []
    if f.municipality:
        picked.append(_("Kommun: %(v)s", v=f.municipality))
    if f.target_group:
        picked.append(_("Målgrupp: %(v)s", v=label(f.target_group, "target_group")))
    if f.support_level is not None:
        picked.append(_("Stödnivå: %(v)s", v=label(f.support_level, "support")))
    return [
        (_("Rapport"), str(title)),
        (_("Period"), f"{_day(f.start)} – {_day(f.end)}"),
        (_("Enhet"), unit_text),
        (_("Urval"), "; ".join(picked) or _("Inga, alla deltagare")),
        (_("Underlag"), _("%(n)s deltagare", n=data.get("population", 0))),
        (_("Gjord"), format_datetime(utcnow(), "yyyy-MM-dd HH:mm") + " " + _("(svensk tid)")),
    ]
