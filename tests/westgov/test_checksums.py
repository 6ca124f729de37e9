"""Boundary cases of the SHA256SUMS manifest (westgov.checksums), written to kill surviving mutants.

Each test builds a tiny data folder by hand, so the expected checksums come from hashlib, not from
the module under test.
"""

from __future__ import annotations

import hashlib

from westgov import checksums


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder(tmp_path):
    """A data folder with one file of each covered kind, one uncovered file, and a correct manifest."""
    root = tmp_path / "data"
    files = {
        "sources.csv": b"id,title\n",
        "codebook.csv": b"name\n",
        "raw/a.csv": b"x\n1\n",
        "published/b.csv": b"y\n2\n",
        "derived/c.csv": b"z\n3\n",
        "geo/d.geojson": b"{}\n",
    }
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    (root / "README.md").write_text("not covered\n", encoding="utf-8")
    (root / "raw" / "notes.txt").write_text("not covered\n", encoding="utf-8")
    (root / "raw" / "sub").mkdir()
    (root / "raw" / "sub" / "deep.csv").write_text("not covered: below raw/\n", encoding="utf-8")
    manifest = "".join(f"{_digest(c)}  {rel}\n" for rel, c in sorted(files.items()))
    (root / "SHA256SUMS").write_text(manifest, encoding="utf-8")
    return root, files


def test_sha256_is_the_hex_digest_of_the_bytes(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"\x00abc\xff")
    assert checksums.sha256(path) == _digest(b"\x00abc\xff")
    assert checksums.sha256(str(path)) == _digest(b"\x00abc\xff")  # a str path works too


def test_covered_files_are_exactly_the_listed_patterns(tmp_path):
    root, files = _folder(tmp_path)
    (root / "derived" / "dir.csv").mkdir()  # a folder whose name matches a pattern is not a file
    assert checksums.covered_files(root) == sorted(files)
    assert checksums.covered_files(str(root)) == sorted(files)


def test_read_manifest_parses_two_space_lines_and_skips_blank_ones(tmp_path):
    root, files = _folder(tmp_path)
    text = (root / "SHA256SUMS").read_text(encoding="utf-8")
    (root / "SHA256SUMS").write_text("\n   \n" + text.replace("\n", "\n\n"), encoding="utf-8")
    entries = checksums.read_manifest(root)
    assert entries == {rel: _digest(c) for rel, c in files.items()}
    assert checksums.read_manifest(str(root)) == entries


def test_read_manifest_keeps_paths_with_spaces(tmp_path):
    (tmp_path / "SHA256SUMS").write_text(f"{'a' * 64}  raw/with space.csv\n", encoding="utf-8")
    assert checksums.read_manifest(tmp_path) == {"raw/with space.csv": "a" * 64}


def test_a_correct_manifest_gives_no_problem(tmp_path):
    root, _ = _folder(tmp_path)
    assert checksums.verify(root) == []
    assert checksums.verify(str(root)) == []


def test_missing_manifest(tmp_path):
    root, _ = _folder(tmp_path)
    (root / "SHA256SUMS").unlink()
    problems = checksums.verify(root)
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.row, p.column) == ("SHA256SUMS", None, None)
    assert p.reason == "checksum manifest is missing; run `python -m westgov checksums --update`"


def test_file_listed_but_deleted_is_reported_once(tmp_path):
    root, _ = _folder(tmp_path)
    (root / "raw" / "a.csv").unlink()
    problems = checksums.verify(root)
    assert [(p.file, p.row, p.column) for p in problems] == [("raw/a.csv", None, None)]
    assert problems[0].reason == "listed in SHA256SUMS but the file does not exist"


def test_unlisted_file_is_reported_once(tmp_path):
    root, _ = _folder(tmp_path)
    (root / "published" / "new.csv").write_text("q\n", encoding="utf-8")
    problems = checksums.verify(root)
    assert [(p.file, p.row, p.column) for p in problems] == [("published/new.csv", None, None)]
    assert problems[0].reason.startswith("file is not listed in SHA256SUMS")
    assert "checksums --update" in problems[0].reason


def test_changed_file_is_reported_once(tmp_path):
    root, _ = _folder(tmp_path)
    (root / "derived" / "c.csv").write_bytes(b"z\n4\n")
    problems = checksums.verify(root)
    assert [(p.file, p.row, p.column) for p in problems] == [("derived/c.csv", None, None)]
    assert problems[0].reason.startswith("checksum mismatch: the file changed since SHA256SUMS")


def test_every_kind_of_problem_at_once_in_order(tmp_path):
    root, _ = _folder(tmp_path)
    (root / "raw" / "a.csv").write_bytes(b"changed\n")
    (root / "geo" / "d.geojson").unlink()
    (root / "derived" / "extra.csv").write_text("e\n", encoding="utf-8")
    problems = checksums.verify(root)
    assert [p.file for p in problems] == ["derived/extra.csv", "raw/a.csv", "geo/d.geojson"]


def test_update_writes_sha256sum_format_and_leaves_data_untouched(tmp_path):
    root, files = _folder(tmp_path)
    (root / "SHA256SUMS").write_text("garbage\n", encoding="utf-8")
    target = checksums.update(root)
    assert target == root / "SHA256SUMS"
    expected = "".join(f"{_digest(c)}  {rel}\n" for rel, c in sorted(files.items()))
    assert target.read_bytes() == expected.encode("utf-8")
    for rel, content in files.items():
        assert (root / rel).read_bytes() == content
    assert checksums.verify(root) == []
    assert checksums.update(str(root)) == root / "SHA256SUMS"


def test_read_manifest_splits_at_the_first_double_space(tmp_path):
    (tmp_path / "SHA256SUMS").write_text(f"{'b' * 64}  raw/two  spaces.csv\n", encoding="utf-8")
    assert checksums.read_manifest(tmp_path) == {"raw/two  spaces.csv": "b" * 64}
