"""Build the built-in taxonomy `data/taxonomy/jobtech.json.gz` from official JobTech export files.

    python -m scripts.build_taxonomy [EXPORT_DIR] [--out FILE]

EXPORT_DIR defaults to `../shared/data/jobtech` beside the repository. The output is
deterministic: the same export files give the same bytes (tests/matcher/test_builtin_taxonomy.py
rebuilds it and compares). For maintainers only: the runtime never imports this script; it reads
the file through `matcher.vocab.builtin`. After a rebuild from a newer export, update the version
and date in `data/taxonomy/README.md` and bump `matcher.ENGINE_VERSION`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

from matcher.vocab.builtin import BUILTIN_FILE, encode
from matcher.vocab.jobtech import KNOWN_FILES, OCCUPATION_TERMS, read_jobtech_parts

DEFAULT_EXPORT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "jobtech"


def source_of(directory: Path) -> dict:
    """What the file was built from: each export file's name and SHA-256, and the ontology
    version the term files name (the JSON exports carry no version of their own)."""
    files = {}
    for name in KNOWN_FILES:
        path = directory / name
        if path.exists():
            files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    versions: set[str] = set()
    terms = directory / OCCUPATION_TERMS
    if terms.exists():
        with terms.open(encoding="utf-8", newline="") as handle:
            versions.update(r.get("version") or "" for r in csv.DictReader(handle, delimiter=";"))
    return {
        "publisher": "Arbetsförmedlingen (Swedish Public Employment Service), JobTech",
        "files": files,
        "ontology_version": sorted(v for v in versions if v),
    }


def build(directory: Path) -> bytes:
    concepts, edges, _report = read_jobtech_parts(directory)
    return encode(concepts, edges, source_of(directory))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build_taxonomy", description=__doc__)
    parser.add_argument("export", nargs="?", type=Path, default=DEFAULT_EXPORT)
    parser.add_argument("--out", type=Path, default=BUILTIN_FILE)
    args = parser.parse_args(argv)
    try:
        data = build(args.export)
    except ValueError as exc:
        print(f"build_taxonomy: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"build_taxonomy: wrote {args.out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
