"""Locations of the book's folders, independent of the current working directory.

Chapters execute from ``chapters/`` when the book is built and from a scratch folder when
``nbval`` runs them, so nothing may rely on a relative path.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder holding ``_config.yml``).
ROOT = Path(os.environ.get("WESTGOV_ROOT", Path(__file__).resolve().parents[1]))
#: The data folder: raw official statistics, the paper's tables, derived files.
DATA_DIR = ROOT / "data"
#: Where Jupyter Book writes its output.
BUILD_DIR = ROOT / "_build"
