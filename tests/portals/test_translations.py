"""Every user-facing string has an English translation, and the committed catalogue is current.

The msgids are extracted from the source tree exactly as `make translations` does (babel.cfg,
keywords `_`, `_l`, `lazy_gettext`, `N_`, `ngettext`), so a string added anywhere without a
translation, or a .po/.mo not regenerated, fails here with the list of what is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = DEFAULT_KEYWORDS | {"_l": None, "lazy_gettext": None, "N_": None}


def _source_msgids() -> set[object]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    found: set[object] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            found.add(message[:2] if message[1] else message[0])
        elif message:
            found.add(message)
    return found


def _plain(value: object) -> object:
    return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


def test_every_source_string_has_an_english_translation(catalogue) -> None:
    """Is any msgid in the code or templates missing from the catalogue or untranslated?"""
    source = _source_msgids()
    assert len(source) > 300, "extraction found suspiciously few strings"
    problems = []
    for msgid in sorted(source, key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalogue.get(key)
        if message is None:
            problems.append(f"not in the catalogue: {msgid!r}")
        elif message.fuzzy or not (
            all(message.string) if isinstance(message.string, tuple) else message.string
        ):
            problems.append(f"not translated: {msgid!r}")
    assert not problems, "run `make translations` and translate:\n" + "\n".join(problems[:200])


def test_catalogue_has_no_stale_strings_and_mo_is_compiled(catalogue) -> None:
    """Is the .po free of msgids the code no longer has, and the .mo compiled from it?"""
    source = {m[0] if isinstance(m, tuple) else m for m in _source_msgids()}
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id)
    stale = [m for m in stale if m not in source]
    assert not stale, f"stale msgids in {PO.name}: {stale[:50]}"
    with MO.open("rb") as fh:
        compiled = read_mo(fh)
    po_pairs = {_plain(m.id): _plain(m.string) for m in catalogue if m.id}
    mo_pairs = {_plain(m.id): _plain(m.string) for m in compiled if m.id}
    assert mo_pairs == po_pairs, "messages.mo is out of date: run `make translations`"


def test_placeholders_agree(catalogue) -> None:
    """Does every translation keep the placeholders of its msgid?"""
    errors = [f"{m.id!r}: {e}" for m, errs in catalogue.check() for e in errs]
    assert not errors, "\n".join(errors)


def _get(app, client, url: str, **kw) -> str:  # type: ignore[no-untyped-def]
    """One request in its own app context, as in production (Flask-Babel caches per context)."""
    with app.app_context():
        return client.get(url, **kw).get_data(as_text=True)


def test_page_in_english_when_chosen_and_by_accept_language(app, client, db) -> None:
    """Is Swedish the default, English chosen by the switch or by Accept-Language?"""
    html = _get(app, client, "/login")
    assert 'lang="sv"' in html and "Logga in" in html
    html = _get(app, client, "/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in html and "Log in" in html and "Logga in" not in html
    with app.app_context():
        client.post("/language", data={"lang": "en", "next": "/tillganglighet"})
    html = _get(app, client, "/tillganglighet", headers={"Accept-Language": "sv"})
    assert "Accessibility statement" in html and "Report a problem" in html


def test_chosen_language_is_kept_on_the_account(app, client, db) -> None:
    """Does a signed-in user's choice of English follow them to their next session?"""
    from models import Session
    from tests.conftest import login
    from tests.factories import make_unit, make_user

    coach = make_user("coach", unit_id=make_unit().id)
    Session.commit()
    login(client, coach.email)
    client.post("/language", data={"lang": "en", "next": "/coach/participants"})
    client.post("/logout")
    login(client, coach.email)
    html = _get(app, client, "/coach/participants")
    assert "Caseload" in html and "New participant" in html


def test_form_errors_are_translated(app, client, db) -> None:
    """Are validation messages (ours, the services' and WTForms') in English on an English page?"""
    form = {
        "org_name": "Bolaget AB",
        "org_number": "556677-8890",
        "contact_name": "Kim",
        "contact_email": "kim@bolaget.example",
        "password": "ett-langt-losenord",
        "password_again": "ett-langt-losenord",
        "name": "Lagret",
        "municipality": "Karlskoga",
    }
    en = {"Accept-Language": "en"}
    with app.app_context():
        html = client.post("/employer/register", data=form, headers=en).get_data(as_text=True)
    assert "check digit is wrong" in html
    with app.app_context():
        html = client.post("/employer/register", data={}, headers=en).get_data(as_text=True)
    assert "This field is required." in html


def test_source_paths_exist() -> None:
    assert Path(ROOT / "babel.cfg").exists() and PO.exists() and MO.exists()
