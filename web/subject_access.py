"""The subject access export in the three forms a person or a coach can download.

JSON is the machine-readable copy (codes, ISO dates); the HTML page and the PDF show the same
data in words, in the reader's language. Used by the coach's participant page and by the
participant's "Det här vet vi om dig". Nothing is cached by the browser or a proxy.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from models import Participant
from services import follow_along, subject_access
from web.choices import label

Section = tuple[str, list[tuple[str, str]]]


def _yes_no(value: object) -> str:
    return _("Ja") if value else _("Nej")


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _day(value: str | None) -> str:
    return value[:10] if value else "–"


def sections(data: dict[str, Any]) -> list[Section]:
    """The export in words: headings with label/value lines."""
    p = data["profile"]
    consent = [label(k, "consent") for k, on in sorted((p["consent"] or {}).items()) if on]
    out: list[Section] = [
        (
            _("Om dig"),
            [
                (_("Namn"), f"{p['first_name']} {p['last_name']}"),
                (_("E-postadress"), _text(p["email"])),
                (_("Telefon"), _text(p["phone"])),
                (_("Adress"), _text(" ".join(x for x in (p["street"], p["postal_code"]) if x))),
                (_("Kommun"), _text(p["municipality"])),
                (_("Personnummer"), _text(p["personnummer"])),
                (_("Födelseår"), _text(p["birth_year"])),
                (_("Kön"), label(p["gender"], "gender")),
                (_("Skyddad identitet"), _yes_no(p["protected_identity"])),
            ],
        ),
        (
            _("Det du kan och vill"),
            [
                (_("Kompetenser"), _text(p["skills"])),
                (_("Intressen"), _text(p["interests"])),
                (_("Längsta resväg"), _text(p["max_commute_km"])),
                (_("Timmar per vecka"), f"{_text(p['hours_min'])}–{_text(p['hours_max'])}"),
                (_("Svenska"), label(p["swedish_level"], "swedish")),
                (_("Körkort"), _yes_no(p["driving_licence"])),
            ],
        ),
        (
            _("Hälsa och anpassningar"),
            [
                (_("Ska undvika"), ", ".join(label(c, "physical") for c in p["cannot"]) or "–"),
                (_("Behöver"), ", ".join(label(c, "accessibility") for c in p["needs"]) or "–"),
                (_("Anteckningar om hälsa"), _text(p["health_notes"])),
            ],
        ),
        (_("Det arbetsgivare får se"), [(_("Samtycke"), ", ".join(consent) or "–")]),
        (
            _("Insatsen"),
            [
                (_("Enhet"), data["unit"]),
                (_("Coach"), _text(data["coach"])),
                (_("Inskriven"), _day(p["enrolled_on"])),
                (_("Avslutad"), _day(p["exited_on"])),
                (_("Målgrupp"), label(p["target_group"], "target_group")),
                (_("Stödnivå"), label(p["support_level"], "support")),
            ],
        ),
    ]
    if data["account"]:
        out.append(
            (
                _("Ditt konto"),
                [
                    (_("E-postadress för inloggning"), data["account"]["email"]),
                    (_("Skapat"), _day(data["account"]["created_at"])),
                ],
            )
        )
    out.append(
        (
            _("Arbetsplatser som föreslagits"),
            [
                (f"{m['offer'] or '–'} ({_text(m['employer'])})", _day(m["computed_at"]))
                for m in data["matches"]
            ]
            or [(_("Inga"), "–")],
        )
    )
    out.append(
        (
            _("Praktikplatser"),
            [
                (
                    pl["offer"] or "–",
                    f"{_day(pl['start_on'])} – {_day(pl['end_on'])}; "
                    + "; ".join(n["note"] for n in pl["notes"] if n["note"]),
                )
                for pl in data["placements"]
            ]
            or [(_("Inga"), "–")],
        )
    )
    out.append(
        (
            _("Planerade aktiviteter"),
            [(a["title"], f"{_day(a['start_on'])} {a['notes']}") for a in data["activities"]]
            or [(_("Inga"), "–")],
        )
    )
    kinds = follow_along.KIND_LABELS
    out.append(
        (
            _("Stöd i arbetet efter jobbstart"),
            [
                (
                    f"{_text(f['employer'])}, {_day(f['start_on'])} – {_day(f['ended_on'])}",
                    ", ".join(str(kinds.get(k, k)) for k in f["kinds"])
                    + "".join(f"; {_day(c['contact_on'])}: {c['about']}" for c in f["contacts"]),
                )
                for f in data.get("follow_along_support", [])
            ]
            or [(_("Inget"), "–")],
        )
    )
    out.append(
        (
            _("Självskattningar och bedömningar"),
            [
                (_text(a["indicator"]), f"{a['value']} ({_day(a['assessed_on'])})")
                for a in data["assessments"]
            ]
            or [(_("Inga"), "–")],
        )
    )
    out.append(
        (
            _("Det du har bett oss rätta"),
            [
                (
                    c["message"],
                    f"{label(c['status'], 'correction')}; {_day(c['created_at'])}"
                    + (f"; {c['answer']}" if c["answer"] else ""),
                )
                for c in data["correction_requests"]
            ]
            or [(_("Inga"), "–")],
        )
    )
    out.append(
        (
            _("Vem som har läst eller ändrat dina uppgifter"),
            [
                (_day(e["at"]), f"{_text(e['by'])} ({e['by_role']}): {e['action']}")
                for e in data["access_log"]
            ]
            or [(_("Ingen"), "–")],
        )
    )
    return out


def respond(participant: Participant, fmt: str, back_url: str) -> Response:
    """The export of one participant in one format; PermissionError for anyone not allowed."""
    if fmt not in subject_access.FORMATS:
        abort(404)
    data = subject_access.collect(current_user, participant, fmt, ip=request.remote_addr or "")
    name = f"mina-uppgifter-{participant.id}"
    title = _("Det här vet vi om dig")
    intro = _(
        "Utdrag ur det som enheten har sparat om dig (registerutdrag enligt "
        "dataskyddsförordningen, artikel 15). Skapat %(at)s.",
        at=data["created_at"][:16].replace("T", " "),
    )
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = Response(body, mimetype="application/json")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
    elif fmt == "pdf":
        pdf = subject_access.render_pdf(title, intro, sections(data))
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        response = Response(
            render_template(
                "subject_access.html",
                title=title,
                intro=intro,
                sections=sections(data),
                back_url=back_url,
            )
        )
    response.headers["Cache-Control"] = "no-store"
    return response
