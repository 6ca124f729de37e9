"""The ``data/SHA256SUMS`` manifest: one ``<sha256>  <relative path>`` line per data file.

The format is that of ``sha256sum``, so ``cd data && sha256sum -c SHA256SUMS`` checks it too.
Every CSV under ``raw/``, ``published/`` and ``derived/`` and the two metadata files must be listed;
a file whose content changed without its checksum being updated stops the build.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tableaudit import Problem

MANIFEST = "SHA256SUMS"
COVERED = ("sources.csv", "codebook.csv", "raw/*.csv", "published/*.csv", "derived/*.csv", "geo/*.geojson")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def covered_files(data_dir: Path) -> list[str]:
    """Relative paths of every file the manifest must list, sorted."""
    root = Path(data_dir)
    found = {p.relative_to(root).as_posix() for pattern in COVERED for p in root.glob(pattern) if p.is_file()}
    return sorted(found)


def read_manifest(data_dir: Path) -> dict[str, str]:
    """Map relative path to the checksum recorded in the manifest."""
    entries = {}
    for line in (Path(data_dir) / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, rel = line.partition("  ")
            entries[rel.strip()] = digest.strip()
    return entries


def verify(data_dir: Path):
    """Return a list of :class:`tableaudit.problems.Problem` for every checksum that does not hold."""

    root = Path(data_dir)
    if not (root / MANIFEST).exists():
        return [Problem(MANIFEST, None, None, "checksum manifest is missing; run `python -m westgov checksums --update`")]
    recorded = read_manifest(root)
    problems = []
    for rel in covered_files(root):
        if rel not in recorded:
            problems.append(Problem(rel, None, None, f"file is not listed in {MANIFEST}; review it, then run `python -m westgov checksums --update`"))
        elif sha256(root / rel) != recorded[rel]:
            problems.append(Problem(rel, None, None, f"checksum mismatch: the file changed since {MANIFEST} was written; if the change is intended, run `python -m westgov checksums --update`"))
    for rel in sorted(set(recorded) - set(covered_files(root))):
        problems.append(Problem(rel, None, None, f"listed in {MANIFEST} but the file does not exist"))
    return problems


def update(data_dir: Path) -> Path:
    """Rewrite the manifest from the files as they are now (the data files themselves are untouched)."""
    root = Path(data_dir)
    lines = [f"{sha256(root / rel)}  {rel}\n" for rel in covered_files(root)]
    target = root / MANIFEST
    target.write_text("".join(lines), encoding="utf-8")
    return target
