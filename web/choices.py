"""The fixed word lists of the file contract, with the labels people read, in one place.

Forms offer these as choices and templates show the label instead of the stored code
(`{{ code|label('accessibility') }}`), so a code never reaches a person untranslated.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from matcher.types import ACCESSIBILITY, PHYSICAL_DEMANDS

PHYSICAL_DEMAND_LABELS = {
    "heavy_lifting": _l("Tunga lyft"),
    "standing": _l("Stående arbete"),
    "walking": _l("Mycket gående"),
    "kneeling": _l("Knästående arbete"),
    "outdoor": _l("Utomhusarbete"),
    "cold": _l("Kyla"),
    "noise": _l("Buller"),
    "night_work": _l("Nattarbete"),
    "high_pace": _l("Högt tempo"),
    "customer_contact": _l("Kundkontakt"),
    "animals": _l("Djur"),
    "allergens": _l("Allergener"),
}
ACCESSIBILITY_LABELS = {
    "step_free": _l("Steglös entré"),
    "accessible_toilet": _l("Tillgänglig toalett"),
    "hearing_loop": _l("Hörslinga"),
    "quiet_space": _l("Lugn plats"),
    "adjustable_workstation": _l("Ställbar arbetsplats"),
    "flexible_hours": _l("Flexibla tider"),
    "low_pace_possible": _l("Lågt tempo möjligt"),
    "supervisor_trained": _l("Handledare med utbildning"),
    "public_transport_near": _l("Nära kollektivtrafik"),
}
SWEDISH_LEVEL_LABELS = {
    "none": _l("Ingen svenska krävs"),
    "basic": _l("Grundläggande"),
    "good": _l("God"),
    "fluent": _l("Flytande"),
}
KIND_LABELS = {
    "praktik": _l("Praktik"),
    "arbetstraning": _l("Arbetsträning"),
    "arbetsprovning": _l("Arbetsprövning"),
    "other": _l("Annat"),
}
LEADS_LABELS = {"yes": _l("Ja"), "maybe": _l("Kanske"), "no": _l("Nej")}
STATUS_LABELS = {
    "draft": _l("Utkast"),
    "published": _l("Publicerad"),
    "paused": _l("Pausad"),
    "closed": _l("Stängd"),
}
TARGET_GROUP_LABELS = {
    "long_term_unemployed": _l("Långtidsarbetslös"),
    "social_assistance": _l("Försörjningsstöd"),
    "sick_listed": _l("Sjukskriven"),
    "activity_compensation": _l("Aktivitetsersättning"),
    "newly_arrived": _l("Nyanländ"),
    "disability": _l("Funktionsnedsättning"),
    "young": _l("Ung (16–29 år)"),
    "other": _l("Annan"),
}
GENDER_LABELS = {
    "woman": _l("Kvinna"),
    "man": _l("Man"),
    "other": _l("Annat"),
    "not_stated": _l("Vill inte ange"),
}
SUPPORT_LEVEL_LABELS = {
    1: _l("1 – mycket stöd, hälsobegränsningar"),
    2: _l("2 – redo för arbete med coachning"),
    3: _l("3 – direkt matchning"),
}
CONSENT_LABELS = {
    "name": _l("Namn"),
    "contact": _l("Kontaktuppgifter"),
    "skills": _l("Kompetenser"),
    "interests": _l("Intressen"),
    "swedish_level": _l("Svenskanivå"),
    "adjustments": _l("Anpassningar arbetsplatsen behöver göra"),
    "licence": _l("Körkort"),
}
GEOCODE_STATUS_LABELS = {
    "pending": _l("Väntar på att platsen ska hittas"),
    "geocoded": _l("Gatuadressen hittad"),
    "municipality": _l("Kommunens eller ortens läge (ungefärligt)"),
    "failed": _l("Kunde inte hittas"),
}
CORRECTION_STATUS_LABELS = {"open": _l("Öppen"), "done": _l("Åtgärdad"), "rejected": _l("Avslagen")}

TABLES = {
    "physical": PHYSICAL_DEMAND_LABELS,
    "accessibility": ACCESSIBILITY_LABELS,
    "swedish": SWEDISH_LEVEL_LABELS,
    "kind": KIND_LABELS,
    "leads": LEADS_LABELS,
    "status": STATUS_LABELS,
    "target_group": TARGET_GROUP_LABELS,
    "gender": GENDER_LABELS,
    "support": SUPPORT_LEVEL_LABELS,
    "consent": CONSENT_LABELS,
    "geocode": GEOCODE_STATUS_LABELS,
    "correction": CORRECTION_STATUS_LABELS,
}
assert set(PHYSICAL_DEMAND_LABELS) == PHYSICAL_DEMANDS
assert set(ACCESSIBILITY_LABELS) == ACCESSIBILITY


def option(value: object, text: object) -> object:
    """One select/radio option (WTForms 3.3's SelectChoice; the lock pins that version)."""
    return SelectChoice(value, text)


def choices(table: str) -> list[object]:
    return [option(value, text) for value, text in TABLES[table].items()]


def label(code: object, table: str) -> str:
    """The readable label of a stored code; an unknown code is shown as it is (escaped)."""
    found = TABLES[table].get(code)  # type: ignore[call-overload]
    return str(found) if found is not None else ("–" if code in (None, "") else str(code))


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.add_template_filter(label, "label")
    app.add_template_filter(
        lambda codes, table: ", ".join(label(c, table) for c in (codes or [])) or "–", "labels"
    )
