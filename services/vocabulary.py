"""The competence vocabulary the app uses: the project's own, merged with a JobTech taxonomy.

Out of the box that is the JobTech taxonomy built into the project (`data/taxonomy/`).
A municipality loads the national taxonomy it already uses with `flask --app web load-taxonomy
DIR`, which checks the export folder and copies it to `instance/taxonomy/`; `TAXONOMY_DIR`
points elsewhere instead. The merged vocabulary is built once per process and folder.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from flask import current_app, has_app_context

from matcher.vocab import Vocabulary, load_jobtech

_cache: dict[str, Vocabulary] = {}
_lock = threading.Lock()
EXPORT_SUFFIXES = (".json", ".csv")


def configured_dir() -> Path | None:
    """TAXONOMY_DIR when set, else a taxonomy loaded into the instance folder, else none."""
    if not has_app_context():
        return None
    setting = str(current_app.config.get("TAXONOMY_DIR") or "").strip()
    if setting:
        return Path(setting)
    loaded = Path(current_app.instance_path) / "taxonomy"
    return loaded if loaded.is_dir() else None


def active() -> Vocabulary:
    """The vocabulary for ranking, typeahead and reports in this process."""
    directory = configured_dir()
    key = str(directory or "")
    with _lock:
        if key not in _cache:
            # Out of the box: the project's vocabulary and the built-in JobTech taxonomy; a
            # loaded (newer) export replaces the built-in one.
            _cache[key] = (
                Vocabulary.load_project().merged_with(load_jobtech(directory))
                if directory
                else Vocabulary.load_default()
            )
        return _cache[key]


def load_into(source: Path, target: Path) -> dict[str, int]:
    """Check a JobTech export folder (ValueError naming the bad file) and copy it to `target`."""
    if not source.is_dir():
        raise ValueError(f"{source}: not a folder")
    vocabulary = load_jobtech(source)
    files = sorted(p for p in source.iterdir() if p.suffix in EXPORT_SUFFIXES and p.is_file())
    target.mkdir(parents=True, exist_ok=True)
    for old in target.iterdir():
        if old.suffix in EXPORT_SUFFIXES:
            old.unlink()
    for path in files:
        shutil.copy2(path, target / path.name)
    with _lock:
        _cache.clear()
    return {"files": len(files), "concepts": len(list(vocabulary.concepts()))}
