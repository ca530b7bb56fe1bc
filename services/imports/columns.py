"""The columns of the two import files, with their Swedish and English headings.

One table per kind is the single source for the reader (which heading means which field), the
row check (type, required, allowed words) and the downloadable templates, so the template a
unit fills in is exactly what the importer reads. Choice values are accepted as Swedish or
English words (or the stored code); list cells are comma-separated.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.types import ACCESSIBILITY, PHYSICAL_DEMANDS


@dataclass(frozen=True)
class Column:
    key: str
    sv: str
    en: str
    type: str  # text, int, float, bool, date, choice, list, personnummer, org_number, email
    required: bool = False
    max_len: int = 200
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # code -> words that mean it
    vocabulary: frozenset[str] = frozenset()  # list cells: the only terms allowed (empty: any)
    example: str = ""

    def words(self) -> dict[str, str]:
        """Every accepted word (casefolded) -> the stored code."""
        out: dict[str, str] = {}
        for code, words in self.choices:
            out[code.casefold()] = code
            for word in words:
                out[word.casefold()] = code
        return out


YES_NO = (("yes", ("ja", "j", "x", "true", "1")), ("no", ("nej", "n", "false", "0")))
SWEDISH = (
    ("none", ("ingen", "inga")),
    ("basic", ("grundläggande", "grund")),
    ("good", ("god", "bra")),
    ("fluent", ("flytande",)),
)

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("external_id", "Externt id", "External id", "text", True, 100, example="P-1001"),
    Column("first_name", "Förnamn", "First name", "text", True, 100, example="Amina"),
    Column("last_name", "Efternamn", "Last name", "text", True, 100, example="Hassan"),
    Column("municipality", "Kommun", "Municipality", "text", True, 100, example="Karlskoga"),
    Column("personnummer", "Personnummer", "Personal identity number", "personnummer"),
    Column("email", "E-post", "Email", "email", max_len=254),
    Column("phone", "Telefon", "Phone", "text", max_len=40),
    Column("street", "Gatuadress", "Street address", "text"),
    Column("postal_code", "Postnummer", "Postal code", "text", max_len=6),
    Column(
        "gender",
        "Kön",
        "Gender",
        "choice",
        choices=(
            ("woman", ("kvinna", "k", "f", "female")),
            ("man", ("m", "male")),
            ("other", ("annat", "annan")),
            ("not_stated", ("vill inte ange", "ej angivet", "not stated")),
        ),
        example="kvinna",
    ),
    Column("birth_year", "Födelseår", "Birth year", "int", low=1900, high=2030),
    Column(
        "target_group",
        "Målgrupp",
        "Target group",
        "choice",
        choices=(
            ("long_term_unemployed", ("långtidsarbetslös", "long-term unemployed")),
            ("social_assistance", ("ekonomiskt bistånd", "social assistance")),
            ("sick_listed", ("sjukskriven", "sick-listed")),
            ("activity_compensation", ("aktivitetsersättning", "activity compensation")),
            ("newly_arrived", ("nyanländ", "newly arrived")),
            ("disability", ("funktionsnedsättning",)),
            ("young", ("ung",)),
            ("other", ("annat", "annan")),
        ),
        example="ekonomiskt bistånd",
    ),
    Column("support_level", "Stödnivå", "Support level", "int", low=1, high=3, example="2"),
    Column("skills", "Kompetenser", "Skills", "list", example="städning, truckkort"),
    Column("interests", "Intressen", "Interests", "list", example="lager"),
    Column("max_commute_km", "Max restid km", "Max commute km", "float", low=0, high=1000),
    Column("hours_min", "Timmar minst", "Hours min", "float", low=0, high=60),
    Column("hours_max", "Timmar högst", "Hours max", "float", low=0, high=60),
    Column(
        "swedish_level", "Svenska", "Swedish", "choice", choices=SWEDISH, example="grundläggande"
    ),
    Column("driving_licence", "Körkort", "Driving licence", "bool", example="nej"),
    Column("cannot", "Klarar inte", "Cannot", "list", vocabulary=PHYSICAL_DEMANDS),
    Column("needs", "Behöver", "Needs", "list", vocabulary=ACCESSIBILITY),
    Column("enrolled_on", "Inskriven", "Enrolled on", "date", example="2026-09-01"),
    Column("protected_identity", "Skyddad identitet", "Protected identity", "bool"),
)

OFFER_COLUMNS: tuple[Column, ...] = (
    Column("external_id", "Externt id", "External id", "text", True, 100, example="O-2001"),
    Column(
        "employer_org_number",
        "Organisationsnummer",
        "Organisation number",
        "org_number",
        True,
        example="556036-0793",
    ),
    Column("employer_name", "Arbetsgivare", "Employer", "text", example="Lagerbolaget AB"),
    Column("contact_name", "Kontaktperson", "Contact name", "text"),
    Column("contact_email", "Kontakt e-post", "Contact email", "email", max_len=254),
    Column("contact_phone", "Kontakt telefon", "Contact phone", "text", max_len=40),
    Column("workplace_name", "Arbetsplats", "Workplace", "text", example="Lagret i Karlskoga"),
    Column("street", "Gatuadress", "Street address", "text"),
    Column("postal_code", "Postnummer", "Postal code", "text", max_len=6),
    Column("city", "Ort", "City", "text", max_len=100),
    Column("municipality", "Kommun", "Municipality", "text", True, 100, example="Karlskoga"),
    Column("title", "Titel", "Title", "text", example="Lagerarbetare"),
    Column(
        "kind",
        "Typ",
        "Kind",
        "choice",
        choices=(
            ("praktik", ("arbetspraktik", "work placement")),
            ("arbetstraning", ("arbetsträning", "work training")),
            ("arbetsprovning", ("arbetsprövning", "work trial")),
            ("other", ("annat", "annan", "job")),
        ),
        example="praktik",
    ),
    Column("description", "Beskrivning", "Description", "text", max_len=10000),
    Column("tasks", "Arbetsuppgifter", "Tasks", "text", max_len=10000),
    Column("occupation", "Yrke", "Occupation", "text"),
    Column("skills_required", "Krav", "Required skills", "list", example="truckkort"),
    Column("skills_desired", "Meriterande", "Desired skills", "list"),
    Column("hours_min", "Timmar minst", "Hours min", "float", low=0, high=60),
    Column("hours_max", "Timmar högst", "Hours max", "float", low=0, high=60),
    Column("swedish_level", "Svenska", "Swedish", "choice", choices=SWEDISH),
    Column("requires_driving_licence", "Kräver körkort", "Requires driving licence", "bool"),
    Column(
        "physical_demands", "Fysiska krav", "Physical demands", "list", vocabulary=PHYSICAL_DEMANDS
    ),
    Column("accessibility", "Tillgänglighet", "Accessibility", "list", vocabulary=ACCESSIBILITY),
    Column("capacity", "Antal platser", "Capacity", "int", low=0, high=1000, example="2"),
    Column(
        "leads_to_employment",
        "Kan leda till anställning",
        "Can lead to employment",
        "choice",
        choices=(("yes", ("ja",)), ("maybe", ("kanske",)), ("no", ("nej",))),
    ),
    Column("start_from", "Start tidigast", "Start from", "date"),
    Column("start_until", "Start senast", "Start until", "date"),
    Column("duration_weeks", "Antal veckor", "Duration weeks", "int", low=1, high=104),
    Column(
        "status",
        "Status",
        "Status",
        "choice",
        choices=(("draft", ("utkast",)), ("published", ("publicerad", "publicera"))),
        example="publicerad",
    ),
)

COLUMNS = {"participants": PARTICIPANT_COLUMNS, "offers": OFFER_COLUMNS}


def by_heading(kind: str) -> dict[str, Column]:
    """Swedish heading, English heading and key (all casefolded, spaces and _ alike) -> column."""
    out: dict[str, Column] = {}
    for col in COLUMNS[kind]:
        for name in (col.sv, col.en, col.key):
            out[heading_key(name)] = col
    return out


def heading_key(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold().lstrip("\ufeff")
