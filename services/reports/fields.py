"""Occupational fields for the equality monitor, derived from an offer's occupation or title.

The field is the SSYK 2012 sub-major group (two digits) of the occupation the vocabulary resolves
the offer's occupation (or, failing that, its title) to; unresolved offers fall in "unknown".
`DOMINANT` says which gender holds most of the jobs in the field in Sweden as a whole, by SCB's
rule that a distribution is even while each gender has 40–60 %. It is a coarse, hand-made
reading of the general picture in SCB's occupational register (yrkesregistret), not a copy of
its figures; a unit that wants another reference passes its own mapping to `equality.monitor`.
"""

from __future__ import annotations

from typing import Any

UNKNOWN = "unknown"

# SSYK 2012 sub-major group: (Swedish name, English name, dominant gender or None for mixed).
FIELDS: dict[str, tuple[str, str, str | None]] = {
    "35": ("IT och teknik", "IT and technicians", "man"),
    "41": ("Kontor och administration", "Office and administration", "woman"),
    "42": ("Kundtjänst och reception", "Customer service and reception", "woman"),
    "43": ("Lager och logistik", "Warehouse and logistics", "man"),
    "44": ("Post och arkiv", "Post and records", None),
    "51": ("Service, kök och fastighet", "Service, kitchen and property", None),
    "52": ("Butik och försäljning", "Retail and sales", None),
    "53": ("Vård och omsorg", "Care", "woman"),
    "61": ("Lantbruk och trädgård", "Farming and gardening", "man"),
    "71": ("Bygg", "Construction", "man"),
    "72": ("Metall och mekanik", "Metal and mechanics", "man"),
    "81": ("Process och maskin", "Process and machine operation", "man"),
    "82": ("Montering", "Assembly", "man"),
    "83": ("Transport och fordon", "Transport and driving", "man"),
    "91": ("Städ och rengöring", "Cleaning", "woman"),
    "92": ("Jord- och skogsbruk, enklare arbeten", "Farm and forestry labour", "man"),
    "93": ("Lager och transport, enklare arbeten", "Warehouse and transport labour", "man"),
    "94": ("Restaurang och köksbiträden", "Restaurant and kitchen assistants", None),
    "96": ("Vaktmästeri och återvinning", "Caretaking and recycling", "man"),
}
DOMINANT: dict[str, str | None] = {code: spec[2] for code, spec in FIELDS.items()}


# SSYK 2012 major groups (first digit): the name for a sub-major group not listed above.
MAJOR: dict[str, tuple[str, str]] = {
    "0": ("Militärt arbete", "Armed forces"),
    "1": ("Chefer", "Managers"),
    "2": ("Yrken med krav på högskoleutbildning", "Professionals"),
    "3": ("Yrken med krav på högskoleutbildning eller motsvarande", "Associate professionals"),
    "4": ("Administration och kundtjänst", "Administration and customer service"),
    "5": ("Service, omsorg och försäljning", "Service, care and sales"),
    "6": ("Lantbruk, trädgård, skog och fiske", "Farming, gardening, forestry and fishing"),
    "7": ("Bygg och tillverkning", "Construction and manufacturing"),
    "8": ("Maskinell tillverkning och transport", "Machine operation and transport"),
    "9": ("Arbeten som kräver kortare utbildning", "Elementary occupations"),
}


def field_name(code: str, lang: str = "sv") -> str:
    """A field's name in words, never a bare code: a sub-major group without a name of its own
    is named by its major group, with the SSYK code after it."""
    spec = FIELDS.get(code)
    if spec is None:
        if code in MAJOR or code[:1] in MAJOR and code[:1].isdigit():
            sv, en = MAJOR[code[:1]]
            return f"{sv if lang == 'sv' else en} (SSYK {code})"
        return {"sv": "Okänt yrkesområde", "en": "Unknown field"}[lang]
    return spec[0] if lang == "sv" else spec[1]


def field_of(texts: list[str], vocab: Any) -> str:
    """The field of the first text the vocabulary resolves to an occupation with an SSYK code."""
    for text in texts:
        if not text:
            continue
        match = vocab.resolve(text)
        if match is None:
            continue
        concept = vocab.concept(match.concept_id)
        candidates = [concept] if concept.kind == "occupation" else []
        candidates += [
            vocab.concept(o) for o in vocab.occupations_for(match.concept_id) if o in vocab
        ]
        for c in candidates:
            if c.ssyk:
                return c.ssyk[:2]
    return UNKNOWN
