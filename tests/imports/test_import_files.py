"""Imports of participants and of employers/offers: dry run, all or nothing, idempotent, audited."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from models import AuditEvent, ImportFile, Offer, Participant, Session
from models.identity import with_check_digit
from services import imports, queue
from services.access import AccessDenied
from services.imports.templates import csv_template, headings, xlsx_template
from services.validation import Invalid
from tests.factories import make_employer, make_unit, make_user

PNR = "19811218-9876"  # passes Luhn
BAD_PNR = "19811218-9875"


def _org(n: int) -> str:
    ten = with_check_digit(f"55{n:07d}")
    return f"{ten[:6]}-{ten[6:]}"


@pytest.fixture
def unit(app):  # type: ignore[no-untyped-def]
    return make_unit()


@pytest.fixture
def coach(unit):  # type: ignore[no-untyped-def]
    return make_user("coach", unit_id=unit.id)


def _upload(actor, unit, kind, name, content, **options):  # type: ignore[no-untyped-def]
    item = imports.upload(actor, unit.id, kind, name, content, options=options)
    queue.run_ready()
    Session.refresh(item)
    return item


def _import(actor, item):  # type: ignore[no-untyped-def]
    imports.start(actor, item.id)
    queue.run_ready()
    Session.refresh(item)
    return item


def _count(model, **where) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return Session.scalar(query)


PARTICIPANTS_CSV = (
    "\ufeffExternt id;Förnamn;Efternamn;Kommun;Personnummer;Kön;Kompetenser;Svenska;Körkort\n"
    f"P-1;Amina;Hassan;Karlskoga;{PNR};kvinna;städning, truckkort;grundläggande;nej\n"
    "P-2;Erik;Berg;Degerfors;;man;lager;god;ja\n"
).encode()


def test_participants_csv_dry_run_then_import_then_same_file_again(coach, unit) -> None:
    """Does a dry run write nothing, the import create the rows, and the same file again change nothing?"""
    item = _upload(coach, unit, "participants", "deltagare.csv", PARTICIPANTS_CSV)
    assert item.status == "checked"
    assert item.result["counts"] == {"create": 2, "change": 0, "unchanged": 0, "refused": 0}
    assert _count(Participant, unit_id=unit.id) == 0

    _import(coach, item)
    assert item.status == "imported" and item.content == b""
    amina = Session.scalar(select(Participant).where(Participant.external_id == "P-1"))
    assert (amina.first_name, amina.gender, amina.swedish_level) == ("Amina", "woman", "basic")
    assert amina.skills == ["städning", "truckkort"] and amina.driving_licence is False
    assert amina.personnummer == PNR and amina.birth_year == 1981
    assert amina.coach_id == coach.id and amina.lat is not None
    stamp = amina.updated_at

    again = _upload(coach, unit, "participants", "deltagare.csv", PARTICIPANTS_CSV)
    assert again.result["counts"] == {"create": 0, "change": 0, "unchanged": 2, "refused": 0}
    _import(coach, again)
    assert _count(Participant, unit_id=unit.id) == 2
    Session.refresh(amina)
    assert amina.updated_at == stamp

    changed = PARTICIPANTS_CSV.replace(b"P-2;Erik;Berg;Degerfors", b"P-2;Erik;Bergh;Degerfors")
    third = _upload(coach, unit, "participants", "deltagare.csv", changed)
    assert third.result["counts"]["change"] == 1
    assert [r["changed"] for r in third.result["rows"] if r["action"] == "change"] == [
        ["last_name"]
    ]


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_imported(coach, unit) -> None:
    """Is every refused row named with line, column and why, and is the file refused whole?"""
    content = (
        "Externt id,Förnamn,Efternamn,Kommun,Personnummer,Stödnivå,Timmar minst,Timmar högst\n"
        "P-1,Amina,Hassan,Karlskoga,,2,10,20\n"
        f"P-2,Erik,Berg,Karlskoga,{BAD_PNR},2,,\n"
        "P-3,Sara,Lind,Atlantis,,2,,\n"
        "P-1,Dubbel,Rad,Karlskoga,,9,30,10\n"
        "P-5,,Utan namn,Karlskoga,,,,\n"
    ).encode()
    item = _upload(coach, unit, "participants", "bad.csv", content)
    problems = {(p["line"], p["column"]): p for p in item.result["problems"]}
    assert problems[(3, "Personnummer")]["message"] == "Personnumrets kontrollsiffra stämmer inte."
    assert problems[(3, "Personnummer")]["value"] == ""  # never echoed back
    assert (4, "Kommun") in problems
    assert problems[(5, "Externt id")]["params"] == {"line": "2"}
    assert (5, "Stödnivå") in problems and (5, "Timmar högst") in problems
    assert problems[(6, "Förnamn")]["message"] == "Fyll i ett värde."
    assert item.result["counts"]["refused"] == 4
    with pytest.raises(Invalid):
        imports.start(coach, item.id)
    assert _count(Participant, unit_id=unit.id) == 0


def test_a_file_that_became_wrong_after_the_dry_run_is_refused_whole(coach, unit) -> None:
    """Is the real run all or nothing even when the database changed since the dry run?"""
    employer = make_employer(org_number=_org(4242), import_unit_id=unit.id, external_id=_org(4242))
    content = (
        "external id,organisation number,municipality,title\n"
        f"O-1,{_org(4242)},Karlskoga,Lagerarbetare\n"
        f"O-2,{_org(4242)},Karlskoga,Kassabiträde\n"
    ).encode()
    first = _upload(coach, unit, "offers", "o.csv", content)
    _import(coach, first)
    assert _count(Offer, employer_id=employer.id) == 2
    Session.scalar(select(Offer).where(Offer.external_id == "O-2")).status = "closed"
    Session.commit()

    changed = content.replace(b"Kassabitr\xc3\xa4de", b"Butikss\xc3\xa4ljare").replace(
        b"Lagerarbetare", b"Lagerarbetare 2"
    )
    second = _upload(coach, unit, "offers", "o.csv", changed)
    assert second.result["counts"]["refused"] == 1
    titles = sorted(Session.scalars(select(Offer.title).where(Offer.employer_id == employer.id)))
    assert titles == ["Kassabiträde", "Lagerarbetare"]


def test_xlsx_with_english_headings(coach, unit) -> None:
    """Does an Excel file with the English template headings import?"""
    book = Workbook()
    sheet = book.active
    sheet.append(headings("participants", "en"))
    row = {h: "" for h in headings("participants", "en")}
    row |= {
        "External id": "X-1",
        "First name": "Noor",
        "Last name": "Ali",
        "Municipality": "Örebro",
    }
    row |= {"Support level": 1, "Hours max": 20, "Driving licence": "yes", "Needs": "quiet_space"}
    sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    item = _upload(coach, unit, "participants", "people.xlsx", out.getvalue())
    assert item.result["problems"] == []
    _import(coach, item)
    noor = Session.scalar(select(Participant).where(Participant.external_id == "X-1"))
    assert (noor.support_level, noor.hours_max, noor.driving_licence) == (1, 20, True)
    assert noor.needs == ["quiet_space"]


def test_templates_read_back() -> None:
    """Do the downloadable templates carry every column, in both languages?"""
    for kind in ("participants", "offers"):
        for lang in ("sv", "en"):
            text = csv_template(kind, lang).decode("utf-8-sig")
            assert text.strip().split(";") == headings(kind, lang)
            book = load_workbook(io.BytesIO(xlsx_template(kind, lang)))
            first = [c.value for c in book.worksheets[0][1]]
            assert first == headings(kind, lang)
            assert len(book.worksheets[1]["A"]) == len(headings(kind, lang)) + 1
    assert "Personnummer" in headings("participants", "sv")


def test_contract_jsonl_offers_with_a_default_employer(coach, unit) -> None:
    """Do offers in the file contract's JSON Lines import, onto a chosen verified employer?"""
    employer = make_employer(org_number=_org(777), verified_at=None)
    lines = [
        {
            "id": "o1",
            "title": "Lager",
            "location": {"municipality": "Karlskoga"},
            "hours_per_week": {"min": 10, "max": 30},
            "skills_required": ["truckkort"],
            "physical_demands": ["standing"],
            "capacity": 2,
            "leads_to_employment": "maybe",
        },
        {"id": "o2", "title": "Café", "location": {"municipality": "Karlskoga"}},
    ]
    content = "\n".join(json.dumps(x) for x in lines).encode()
    item = _upload(coach, unit, "offers", "offers.jsonl", content, employer_org_number=_org(777))
    assert item.format == "jsonl" and item.result["counts"]["create"] == 2
    _import(coach, item)
    o1 = Session.scalar(select(Offer).where(Offer.external_id == "o1"))
    assert (o1.employer_id, o1.hours_min, o1.capacity, o1.status) == (employer.id, 10, 2, "draft")
    assert o1.physical_demands == ["standing"] and o1.workplace.municipality == "Karlskoga"


def test_jobtech_job_ads_become_offers_of_new_verified_employers(coach, unit) -> None:
    """Do JobTech job ads import as published offers, with hours from the scope of work?"""
    ads = {
        "hits": [
            {
                "id": "24681357",
                "headline": "Lagerarbetare sökes",
                "description": {"text": "Plock och pack."},
                "occupation": {"label": "Lagerarbetare"},
                "employer": {
                    "organization_number": _org(31337).replace("-", ""),
                    "name": "Lager AB",
                },
                "workplace_address": {"municipality": "Kristianstad", "city": "Kristianstad"},
                "driving_license_required": True,
                "scope_of_work": {"min": 50, "max": 100},
                "must_have": {"skills": [{"label": "Truckkort"}]},
                "nice_to_have": {"skills": [{"label": "Lagervana"}]},
                "number_of_vacancies": 3,
            }
        ]
    }
    item = _upload(coach, unit, "offers", "ads.json", json.dumps(ads).encode())
    assert item.format == "jobtech", item.result
    assert item.result["counts"] == {"create": 2, "change": 0, "unchanged": 0, "refused": 0}
    _import(coach, item)
    offer = Session.scalar(select(Offer).where(Offer.external_id == "24681357"))
    assert (offer.title, offer.hours_min, offer.hours_max) == ("Lagerarbetare sökes", 20, 40)
    assert offer.skills_required == ["Truckkort"] and offer.skills_desired == ["Lagervana"]
    assert offer.requires_driving_licence and offer.capacity == 3
    assert offer.status == "published" and offer.employer.verified
    assert offer.employer.verified_by_id == coach.id


def test_who_imported_what_is_audited(coach, unit) -> None:
    """Is the upload, the dry run and the import each in the audit log, with the coach?"""
    item = _upload(coach, unit, "participants", "deltagare.csv", PARTICIPANTS_CSV)
    _import(coach, item)
    events = Session.scalars(
        select(AuditEvent).where(
            AuditEvent.subject_type == "import_files", AuditEvent.subject_id == item.id
        )
    ).all()
    assert [e.action for e in events] == ["import.uploaded", "import.checked", "import.applied"]
    assert all(e.actor_id == coach.id for e in events)
    ids = sorted(Session.scalars(select(Participant.id).where(Participant.unit_id == unit.id)))
    assert events[-1].details["written_ids"] == ids


def test_a_coach_imports_into_their_own_unit_only(coach, unit) -> None:
    """Can a coach import into, or open the import of, another unit? Can an admin?"""
    other = make_unit()
    with pytest.raises(AccessDenied):
        imports.upload(coach, other.id, "participants", "x.csv", PARTICIPANTS_CSV)
    employer_user = make_user("employer")
    with pytest.raises(AccessDenied):
        imports.upload(employer_user, unit.id, "participants", "x.csv", PARTICIPANTS_CSV)
    admin = make_user("admin")
    item = _upload(admin, other, "participants", "x.csv", PARTICIPANTS_CSV)
    with pytest.raises(AccessDenied):
        imports.start(coach, item.id)
    manager = make_user("admin", unit_id=unit.id)
    with pytest.raises(AccessDenied):
        imports.upload(manager, other.id, "participants", "x.csv", PARTICIPANTS_CSV)
    _import(admin, item)
    assert _count(Participant, unit_id=other.id) == 2 and _count(Participant, unit_id=unit.id) == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", b"%PDF"),
        ("x.xlsx", b"not a zip"),
        ("x.csv", b"\xff\xfe\x00b"),
        ("x.csv", b"foo;bar\n1;2\n"),
        ("x.jsonl", b"{not json}\n"),
        ("x.jsonl", b"[1, 2]\n"),
        ("x.csv", b""),
    ],
)
def test_unreadable_files_get_a_clear_message(coach, unit, name, content) -> None:
    """Is a file that cannot be read refused with a message, never a crash?"""
    try:
        item = _upload(coach, unit, "participants", name, content)
    except Invalid as exc:
        assert "file" in exc.errors
        return
    assert item.status == "checked" and item.result["problems"][0]["message"]
    assert _count(Participant, unit_id=unit.id) == 0
    assert Session.scalar(select(func.count()).select_from(ImportFile)) == 1
