"""The import pages: upload, dry-run result, import, templates; coach and admin."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from models import ImportFile, Participant, Session
from tests.conftest import login
from tests.factories import make_unit, make_user

CSV = (
    "Externt id;Förnamn;Efternamn;Kommun;Personnummer\n"
    "P-1;Amina;Hassan;Karlskoga;19811218-9876\n"
    "P-2;Erik;Berg;Karlskoga;19811218-9875\n"
).encode()


def _post(client, url, content, name="d.csv", **data):  # type: ignore[no-untyped-def]
    payload = {"kind": "participants", "file": (io.BytesIO(content), name)} | data
    return client.post(url, data=payload, content_type="multipart/form-data")


def test_coach_uploads_sees_refused_rows_fixes_and_imports(client) -> None:
    """Can a coach see which rows are wrong, and import once they are fixed?"""
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, coach.email)
    page = client.get("/coach/imports")
    assert page.status_code == 200 and "Kontrollera filen" in page.text
    response = _post(client, "/coach/imports", CSV, unit_id=str(unit.id))
    assert response.status_code == 303
    detail = client.get(response.headers["Location"])
    assert "Personnumrets kontrollsiffra stämmer inte." in detail.text
    assert ">3<" in detail.text and "Personnummer" in detail.text
    item = Session.scalar(select(ImportFile).order_by(ImportFile.id.desc()))
    assert client.post(f"/coach/imports/{item.id}/start").status_code == 303
    assert Session.scalar(select(func.count()).select_from(Participant)) == 0

    fixed = CSV.replace(b"9875", b"9876").replace(b"P-2;Erik", b"P-2;Erik")
    fixed = fixed.replace(b"19811218-9876\n" + b"P-2", b"19811218-9876\nP-2", 1)
    fixed = fixed.rsplit(b";", 1)[0] + b";\n"  # second person without personnummer
    response = _post(client, "/coach/imports", fixed, unit_id=str(unit.id))
    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "Nya: 2" in client.get(f"/coach/imports/{item_id}").text
    assert client.post(f"/coach/imports/{item_id}/start").status_code == 303
    done = client.get(f"/coach/imports/{item_id}")
    assert "Importerad" in done.text
    assert Session.scalar(select(func.count()).select_from(Participant)) == 2


def test_form_errors_are_400_with_a_message(client) -> None:
    """Is a missing file, a wrong unit or an unknown file type answered with a message?"""
    unit = make_unit()
    other = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, coach.email)
    no_file = client.post("/coach/imports", data={"kind": "participants", "unit_id": str(unit.id)})
    assert no_file.status_code == 400 and "Välj en fil." in no_file.text
    wrong_unit = _post(client, "/coach/imports", CSV, unit_id=str(other.id))
    assert wrong_unit.status_code == 400
    pdf = _post(client, "/coach/imports", b"%PDF-1.4", name="x.pdf", unit_id=str(unit.id))
    assert pdf.status_code == 400 and "Okänd filtyp" in pdf.text
    bad_org = _post(
        client,
        "/coach/imports",
        CSV,
        kind="offers",
        unit_id=str(unit.id),
        employer_org_number="123",
    )
    assert bad_org.status_code == 400 and "Organisationsnumret" in bad_org.text


def test_another_units_import_is_404_and_admin_chooses_the_unit(client) -> None:
    """Can a coach open another unit's import? Can an administrator import into any unit?"""
    unit, other = make_unit(), make_unit()
    coach = make_user("coach", unit_id=unit.id)
    admin = make_user("admin")
    Session.commit()
    login(client, admin.email)
    response = _post(client, "/admin/imports", CSV.replace(b"9875", b"9876"), unit_id=str(other.id))
    assert response.status_code == 303, response.text
    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post("/logout")
    login(client, coach.email)
    assert client.get(f"/coach/imports/{item_id}").status_code == 404
    assert client.post(f"/coach/imports/{item_id}/start").status_code == 404


def test_templates_download(client) -> None:
    """Do the template links give CSV and XLSX files with the headings in both languages?"""
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, coach.email)
    sv = client.get("/coach/imports/template/participants.csv?lang=sv")
    assert sv.status_code == 200 and sv.data.decode("utf-8-sig").startswith("Externt id;Förnamn")
    en = client.get("/coach/imports/template/offers.xlsx?lang=en")
    assert en.status_code == 200 and en.data[:2] == b"PK"
    assert client.get("/coach/imports/template/people.csv").status_code == 404
