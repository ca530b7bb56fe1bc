"""A report's plain figures as labelled tables and charts, in the reader's language.

The page, the CSV and the XLSX all come from `tables()`, so a download holds exactly the numbers
the page shows. Rates are percentages with one decimal; "–" where there is nothing to divide by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.reports.fields import field_name
from services.reports.gender import COLUMNS
from web import current_lang
from web.charts import Series, bar_chart, hbar_chart

TITLES = {
    "outcomes": _l("Deltagare och utfall"),
    "timing": _l("Tid till första arbetsplats"),
    "funnel": _l("Matchningstratten"),
    "equality": _l("Jämställdhet i matchningen"),
    "progression": _l("Progression på indikatorerna"),
}
GENDER_LABELS = {
    "woman": _l("Kvinnor"),
    "man": _l("Män"),
    "other": _l("Annat eller inte angivet"),
    "total": _l("Totalt"),
}
ROW_LABELS = {
    "enrolled": _l("Inskrivna under perioden"),
    "active": _l("Aktiva vid periodens slut"),
    "exited": _l("Avslutade under perioden"),
    "work": _l("Arbete"),
    "subsidised_work": _l("Subventionerat arbete"),
    "studies": _l("Studier"),
    "closer": _l("Närmare arbetsmarknaden / annan aktivitet"),
    "rehabilitation": _l("Rehabilitering"),
    "none": _l("Ingen sysselsättning"),
    "not_recorded": _l("Inte registrerat"),
    "not_due": _l("Ännu inte aktuellt (under 6 månader)"),
    "total": _l("Totalt"),
    "not_placed": _l("Ingen arbetsplats ännu"),
    "suggested": _l("Föreslagna"),
    "approved": _l("Godkända av coach"),
    "interested": _l("Intresserade deltagare"),
    "accepted": _l("Accepterade av arbetsgivare"),
    "started": _l("Påbörjade"),
    "completed": _l("Genomförda"),
    "declined": _l("Deltagaren tackade nej"),
    "employer_declined": _l("Arbetsgivaren tackade nej"),
    "withdrawn": _l("Återtagen av coach"),
    "ended_early": _l("Praktiken avbröts i förtid"),
    "released": _l("Deltagaren fick en annan plats"),
    "rejected:distance": _l("Avvisad av coach: avstånd"),
    "rejected:health": _l("Avvisad av coach: hälsa"),
    "rejected:interest": _l("Avvisad av coach: intresse"),
    "rejected:skills": _l("Avvisad av coach: kompetens"),
    "rejected:timing": _l("Avvisad av coach: tidpunkt"),
    "rejected:employer": _l("Avvisad av coach: arbetsgivaren"),
    "rejected:other": _l("Avvisad av coach: annat"),
    "suggestion": _l("Andel med förslag"),
    "approval": _l("Godkännandegrad"),
    "placement": _l("Placeringsgrad"),
    "hours_done": _l("Timmar gjorda (närvarologgen)"),
    "hours_participants": _l("Deltagare med loggade timmar"),
    "fu_due": _l("Uppföljningar som är aktuella"),
    "fu_recorded": _l("Registrerade uppföljningar"),
    "fu_missing": _l("Inte registrerade ännu"),
    "fu:employment": _l("Arbete utan stöd"),
    "fu:subsidised_employment": _l("Arbete med stöd (till exempel lönebidrag)"),
    "fu:studies": _l("Studier"),
    "fu:job_seeking": _l("Söker arbete"),
    "fu:programme": _l("Annat arbetsmarknadsprogram"),
    "fu:sick_leave": _l("Sjukskriven"),
    "fu:other": _l("Annat"),
    "fu:unknown": _l("Fick inte kontakt"),
    "support_during": _l("Med stöd i arbetet under perioden"),
    "support_started": _l("Stödet började under perioden"),
}
TARGET_GROUP_LABELS = {
    "long_term_unemployed": _l("Långtidsarbetslösa"),
    "social_assistance": _l("Försörjningsstöd"),
    "sick_listed": _l("Sjukskrivna"),
    "activity_compensation": _l("Aktivitetsersättning"),
    "newly_arrived": _l("Nyanlända"),
    "disability": _l("Funktionsnedsättning"),
    "young": _l("Unga"),
    "other": _l("Övriga"),
}


@dataclass
class DisplayTable:
    title: str
    headers: list[str]
    rows: list[list[Any]]

    def as_tuple(self) -> tuple[str, list[str], list[list[Any]]]:
        return (self.title, self.headers, self.rows)


def label(key: str) -> str:
    if key in ROW_LABELS:
        return str(ROW_LABELS[key])
    if key[:1].isdigit() and "-" in key or key == "13+":
        return _("%(weeks)s veckor", weeks=key.replace("-", "–"))
    return key


def _genders() -> list[str]:
    return [str(GENDER_LABELS[c]) for c in COLUMNS]


def _split_table(title: str, first: str, rows: list[list[Any]]) -> DisplayTable:
    return DisplayTable(
        title, [first, *_genders()], [[label(k), *(v[c] for c in COLUMNS)] for k, v in rows]
    )


STEP_TITLES = {
    "90d": _l("Uppföljning 90 dagar efter avslut, antal"),
    "6m": _l("Uppföljning 6 månader efter avslut, antal"),
    "12m": _l("Uppföljning 12 månader efter avslut, antal"),
}


def _after_tables(f: dict[str, Any]) -> list[DisplayTable]:
    """Hours done, follow-ups after exit and follow-along support (a report stored before these
    existed simply has none of them)."""
    out = []
    if "hours" in f:
        out.append(_split_table(_("Närvaro på arbetsplatsen"), _("Mått"), f["hours"]))
    for step, title in STEP_TITLES.items():
        if step in f.get("follow_ups", {}):
            out.append(_split_table(str(title), _("Situation"), f["follow_ups"][step]))
    if "follow_along" in f:
        out.append(
            _split_table(
                _("Stöd i arbetet efter jobbstart, deltagare"), _("Stöd"), f["follow_along"]
            )
        )
    return out


def tables(report: dict[str, Any]) -> list[DisplayTable]:
    kind, f = report["kind"], report["figures"]
    if kind == "outcomes":
        return [
            _split_table(_("Deltagare, antal"), _("Deltagare"), f["participants"]),
            _split_table(_("Utfall vid avslut, antal"), _("Utfall"), f["at_exit"]),
            _split_table(_("Utfall 6 månader efter avslut, antal"), _("Utfall"), f["six_months"]),
            *_after_tables(f),
        ]
    if kind == "timing":
        summary = [
            [_("Inskrivna under perioden"), *(f["cohort"][c] for c in COLUMNS)],
            [_("Har haft en arbetsplats"), *(f["placed"][c] for c in COLUMNS)],
            [_("Median, dagar"), *(f["median_days"][c] for c in COLUMNS)],
        ]
        for goal in f["goals"]:
            weeks = goal["weeks"]
            summary.append(
                [_("Inskrivna minst %(n)s veckor", n=weeks), *(goal["judged"][c] for c in COLUMNS)]
            )
            summary.append(
                [
                    _("Arbetsplats inom %(n)s veckor", n=weeks),
                    *(goal["reached"][c] for c in COLUMNS),
                ]
            )
            summary.append(
                [_("Andel inom %(n)s veckor (%%)", n=weeks), *(goal["share"][c] for c in COLUMNS)]
            )
        return [
            DisplayTable(_("Sammanfattning"), [_("Mått"), *_genders()], summary),
            _split_table(
                _("Dagar från inskrivning till första arbetsplats, antal deltagare"),
                _("Veckor"),
                f["histogram"],
            ),
        ]
    if kind == "funnel":
        headers = [_("Steg"), *_genders()] + [
            _("Andel från steget före, %(g)s (%%)", g=g) for g in _genders()
        ]
        rows = [
            [
                label(s["stage"]),
                *(s["counts"][c] for c in COLUMNS),
                *((s["conversion"] or {}).get(c) for c in COLUMNS),
            ]
            for s in f["stages"]
        ]
        return [
            DisplayTable(_("Matchningstratten"), headers, rows),
            _split_table(_("Varför matchningar stannade"), _("Orsak"), f["reasons"]),
        ]
    if kind == "equality":
        return _equality_tables(f)
    if kind == "progression":
        return [_progression_table(f)]
    raise ValueError(kind)


def _indicator_label(row: dict[str, Any]) -> str:
    return row["label_en"] if current_lang() == "en" else row["label_sv"]


def _progression_table(rows: list[dict[str, Any]]) -> DisplayTable:
    headers = [_("Indikator"), _("Svar från")]
    for g in _genders():
        headers += [
            _("%(g)s, gått uppåt", g=g),
            _("%(g)s, mätta minst två gånger", g=g),
            _("%(g)s, andel uppåt (%%)", g=g),
        ]
    body = []
    for r in rows:
        who = _("Coachen") if r["respondent"] == "coach" else _("Deltagaren")
        cells: list[Any] = [_indicator_label(r), who]
        for c in COLUMNS:
            cells += [r["up"][c], r["measured"][c], r["share"][c]]
        body.append(cells)
    return DisplayTable(_("Andel som gått uppåt från första till senaste mätningen"), headers, body)


def _equality_tables(f: dict[str, Any]) -> list[DisplayTable]:
    lang = current_lang()
    headers = [
        _("Yrkesområde"),
        _("Kön"),
        _("Deltagare med förslag"),
        _("Deltagare i urvalet"),
        _("Andel med förslag (%)"),
        _("Förslag"),
        _("Godkända"),
        _("Godkännandegrad (%)"),
        _("Påbörjade"),
        _("Placeringsgrad (%)"),
    ]
    rows = []
    for row in f["rows"]:
        for c in COLUMNS:
            v = row[c]
            rows.append(
                [
                    field_name(row["field"], lang),
                    str(GENDER_LABELS[c]),
                    v["participants"],
                    v["population"],
                    v["suggestion"],
                    v["suggested"],
                    v["approved"],
                    v["approval"],
                    v["placed"],
                    v["placement"],
                ]
            )
    flags = [
        [
            field_name(fl["field"], lang),
            label(fl["rate"]),
            fl["woman"],
            fl["man"],
            fl["difference_pp"],
        ]
        for fl in f["flags"]
    ]
    nt = f["non_traditional"]
    return [
        DisplayTable(
            _("Förslag, godkännanden och placeringar per yrkesområde och kön"), headers, rows
        ),
        DisplayTable(
            _(
                "Skillnader att granska (minst %(pp)s procentenheter, minst %(n)s fall per grupp)",
                pp=f["threshold_pp"],
                n=f["min_cases"],
            ),
            [
                _("Yrkesområde"),
                _("Mått"),
                _("Kvinnor (%)"),
                _("Män (%)"),
                _("Skillnad (procentenheter)"),
            ],
            flags,
        ),
        DisplayTable(
            _("Placeringar i yrkesområden där deltagarens kön är underrepresenterat"),
            [_("Mått"), *_genders()],
            [
                [
                    _("Placeringar i områden med känd könsfördelning"),
                    *(nt["placed"][c] for c in COLUMNS),
                ],
                [
                    _("Varav där det egna könet är underrepresenterat"),
                    *(nt["under_represented"][c] for c in COLUMNS),
                ],
                [_("Andel (%)"), *(nt["share"][c] for c in COLUMNS)],
            ],
        ),
    ]


def charts(report: dict[str, Any]) -> list[str]:
    kind, f = report["kind"], report["figures"]
    genders = ("woman", "man", "other")

    def by_gender(rows: list[list[Any]], keys: list[str] | None = None) -> list[Series]:
        picked = [r for r in rows if keys is None or r[0] in keys]
        return [Series(str(GENDER_LABELS[g]), [r[1][g] for r in picked]) for g in genders]

    if kind == "outcomes":
        cats = [
            "work",
            "subsidised_work",
            "studies",
            "closer",
            "rehabilitation",
            "none",
            "not_recorded",
        ]
        return [
            bar_chart(
                "chart-participants",
                _("Deltagare per kön"),
                _("Inskrivna, aktiva och avslutade under perioden, per kön."),
                [label(k) for k, _v in f["participants"]],
                by_gender(f["participants"]),
            ),
            hbar_chart(
                "chart-exit",
                _("Utfall vid avslut per kön"),
                _("Antal avslutade per utfall och kön."),
                [label(k) for k in cats],
                by_gender(f["at_exit"], cats),
            ),
        ]
    if kind == "timing":
        placed = [row for row in f["histogram"] if row[0] != "not_placed"]
        return [
            bar_chart(
                "chart-timing",
                _("Veckor till första arbetsplats"),
                _(
                    "Antal deltagare per antal veckor från inskrivning till första arbetsplats, per kön. De som ännu inte haft en arbetsplats finns i tabellen."
                ),
                [label(k) for k, _v in placed],
                by_gender(placed),
                width=760,
            )
        ]
    if kind == "funnel":
        stages = [[s["stage"], s["counts"]] for s in f["stages"]]
        return [
            hbar_chart(
                "chart-funnel",
                _("Matchningstratten per kön"),
                _("Antal matchningar som nått varje steg, per kön."),
                [label(s[0]) for s in stages],
                by_gender(stages),
            )
        ]
    if kind == "equality":
        lang = current_lang()
        names = [field_name(r["field"], lang) for r in f["rows"]]
        return [
            hbar_chart(
                "chart-equality",
                _("Godkännandegrad per yrkesområde och kön (%)"),
                _("Andel av förslagen som coachen godkände, per yrkesområde, för kvinnor och män."),
                names,
                [
                    Series(str(GENDER_LABELS[g]), [r[g]["approval"] for r in f["rows"]])
                    for g in ("woman", "man")
                ],
                unit="%",
                x_max=100,
            )
        ]
    if kind == "progression":
        keys = list(dict.fromkeys(r["key"] for r in f))
        labels = {r["key"]: _indicator_label(r) for r in f}
        share = {(r["key"], r["respondent"]): r["share"]["total"] for r in f}
        return [
            hbar_chart(
                "chart-progression",
                _("Andel som gått uppåt per indikator (%)"),
                _(
                    "Andel av dem som mätts minst två gånger vars senaste svar är högre än det första."
                ),
                [labels[k] for k in keys],
                [
                    Series(_("Deltagarens svar"), [share.get((k, "participant")) for k in keys]),
                    Series(_("Coachens svar"), [share.get((k, "coach")) for k in keys]),
                ],
                unit="%",
                x_max=100,
            )
        ]
    return []
