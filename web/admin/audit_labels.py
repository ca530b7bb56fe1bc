"""The audit log in words: event names, what an event is about, and its details, in the
reader's language. An event this table does not know yet (a new feature) is shown by its code
after a plain "Händelse", never hidden."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.workflow import REJECTION_LABELS, STATUS_LABELS
from web.choices import label

EVENTS = {
    "login.ok": _l("Loggade in"),
    "login.failed": _l("Misslyckad inloggning"),
    "login.locked": _l("Kontot låstes efter för många försök"),
    "participant.updated": _l("Ändrade en deltagares profil"),
    "participant.sensitive.view": _l("Läste känsliga uppgifter"),
    "participant.sensitive.denied": _l("Nekades att läsa känsliga uppgifter"),
    "participant.sensitive.updated": _l("Ändrade känsliga uppgifter"),
    "participant.coach_changed": _l("Bytte coach för en deltagare"),
    "participant.exit": _l("Avslutade en deltagare"),
    "correction.requested": _l("Begärde rättelse"),
    "correction.handled": _l("Hanterade en begäran om rättelse"),
    "match.approve": _l("Godkände ett förslag"),
    "match.reject": _l("Avvisade ett förslag"),
    "match.propose": _l("Skickade ett förslag till deltagaren"),
    "match.interested": _l("Deltagaren svarade ja"),
    "match.decline": _l("Deltagaren svarade nej"),
    "match.accept": _l("Arbetsgivaren tackade ja"),
    "match.employer_decline": _l("Arbetsgivaren tackade nej"),
    "match.plan": _l("Planerade en praktik"),
    "match.start": _l("Startade en praktik"),
    "match.complete": _l("Avslutade en praktik"),
    "match.end_early": _l("Avbröt en praktik i förtid"),
    "match.withdraw": _l("Återtog ett förslag"),
    "match.release": _l("Stängde ett förslag (deltagaren fick en annan plats)"),
    "match.undo": _l("Ångrade ett beslut om ett förslag"),
    "match.manual": _l("Föreslog en plats manuellt"),
    "match.reconsidered": _l("Tog upp avvisade förslag igen"),
    "placement.note": _l("Skrev en uppföljning av en praktik"),
    "journal.note.add": _l("Skrev en anteckning"),
    "journal.note.view": _l("Läste en känslig anteckning"),
    "journal.note.denied": _l("Nekades att läsa en anteckning"),
    "meeting.add": _l("Bokade ett möte"),
    "account.phone": _l("Ändrade ett jobbtelefonnummer"),
    "follow_along.start": _l("Började stöd i arbetet"),
    "follow_along.update": _l("Ändrade stöd i arbetet"),
    "follow_along.contact": _l("Skrev en kontakt i stödet i arbetet"),
    "participant.message": _l("Skickade ett meddelande till deltagaren"),
    "activity.add": _l("Lade till en aktivitet i planen"),
    "activity.status": _l("Ändrade status på en aktivitet"),
    "assessment.record": _l("Sparade en bedömning"),
    "offer.status": _l("Ändrade status på en plats"),
    "employer.registered": _l("Registrerade en arbetsgivare"),
    "employer.updated": _l("Ändrade en arbetsgivare"),
    "employer.verified": _l("Godkände en ny arbetsgivare"),
    "workplace.created": _l("Lade till en arbetsplats"),
    "workplace.updated": _l("Ändrade en arbetsplats"),
    "workplace.deleted": _l("Tog bort en arbetsplats"),
    "indicator.save": _l("Sparade en indikator"),
    "indicator.active": _l("Slog på eller av en indikator"),
    "report.esf_export": _l("Gjorde en ESF-export"),
    "unit.export_personnummer": _l("Ändrade om personnummer tas med i exporten"),
    "accessibility.reported": _l("Rapporterade ett tillgänglighetsproblem"),
    "accessibility.handled": _l("Hanterade en tillgänglighetsrapport"),
    "audit.export": _l("Laddade ner granskningsloggen"),
}

# Groups for the filter (a prefix of the code).
GROUPS = {
    "login.": _l("Inloggningar"),
    "participant.sensitive": _l("Känsliga uppgifter"),
    "participant.": _l("Deltagare"),
    "match.": _l("Förslag och praktik"),
    "journal.": _l("Anteckningar"),
    "employer.": _l("Arbetsgivare"),
    "report.": _l("Rapporter och exporter"),
}

TABLES = {
    "participants": _l("Deltagare"),
    "matches": _l("Förslag"),
    "placements": _l("Praktik"),
    "offers": _l("Plats"),
    "employers": _l("Arbetsgivare"),
    "workplaces": _l("Arbetsplats"),
    "users": _l("Konto"),
    "units": _l("Enhet"),
    "indicators": _l("Indikator"),
    "accessibility_reports": _l("Tillgänglighetsrapport"),
    "activities": _l("Aktivitet"),
    "journal_notes": _l("Anteckning"),
    "meetings": _l("Möte"),
}

DETAIL_KEYS = {
    "fields": _l("Uppgifter"),
    "from": _l("Från"),
    "to": _l("Till"),
    "undone": _l("Ångrat"),
    "reason": _l("Skäl"),
    "note": _l("Anteckning"),
    "offer_id": _l("Plats nr"),
    "note_id": _l("Anteckning nr"),
    "meeting_id": _l("Möte nr"),
    "on_behalf": _l("För deltagarens räkning"),
    "override": _l("Trots konflikter"),
    "conflicts": _l("Konflikter"),
    "manual": _l("Manuellt"),
    "sensitive": _l("Känslig"),
    "status": _l("Status"),
    "active": _l("Aktiv"),
    "email": _l("E-post"),
    "key": _l("Nyckel"),
    "because_of": _l("På grund av förslag nr"),
    "enabled": _l("På"),
    "count": _l("Antal"),
}

FIELD_NAMES = {
    "cannot": _l("ska undvika"),
    "needs": _l("behöver"),
    "health_notes": _l("anteckningar om hälsa"),
    "personnummer": _l("personnummer"),
}


def event_label(action: str) -> str:
    found = EVENTS.get(action)
    return str(found) if found is not None else _("Händelse: %(code)s", code=action)


def table_label(table: str) -> str:
    found = TABLES.get(table)
    return str(found) if found is not None else table


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if key in ("from", "to", "undone") and isinstance(value, str):
        return str(STATUS_LABELS.get(value, value))
    if key == "reason" and isinstance(value, str) and value in REJECTION_LABELS:
        return str(REJECTION_LABELS[value])
    if key == "status" and isinstance(value, str):
        return label(value, "correction") if value in ("done", "rejected", "open") else value
    if isinstance(value, list | tuple):
        return ", ".join(str(FIELD_NAMES.get(v, v)) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "–" if value in (None, "") else str(value)


def details_text(details: dict[str, Any] | None) -> str:
    parts = []
    for key, value in (details or {}).items():
        name = DETAIL_KEYS.get(key)
        parts.append(f"{name if name is not None else key}: {_value(key, value)}")
    return "; ".join(parts)
