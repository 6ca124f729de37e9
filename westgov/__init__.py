"""westgov: the reproducible re-analysis of Luo, Yuan, Huang and Qian.

The study, one module per concern:

* :mod:`westgov.paths` -- where the book, its data and its build live;
* :mod:`westgov.schemas` -- what every data file must look like (pandera schemas);
* :mod:`westgov.data` -- loading and validating every data file;
* :mod:`westgov.checksums` -- the ``data/SHA256SUMS`` manifest;
* :mod:`westgov.crosschecks` -- cross-checks and plausibility bounds across the data files;
* :mod:`westgov.variables` -- the paper's variables derived from official statistics;
* :mod:`westgov.geo` -- the provinces' outlines, for the maps;
* :mod:`westgov.replica` -- a data set whose moments equal the paper's Tables 2 and 3;
* :mod:`westgov.models` -- the paper's models M1-M4 and their estimation;
* :mod:`westgov.stats` -- VIFs, and the audit's significance conventions;
* :mod:`westgov.tables` -- formatting of the chapters' tables;
* :mod:`westgov.audit` -- the audit of this paper: :mod:`tableaudit` plus the official data;
* :mod:`westgov.cli` -- ``python -m westgov <command>``.

The book's machinery (build, Sphinx extension, PDF, launch, benchmarks, page numbers) is the
subpackage :mod:`westgov.book`. The audit of any paper's tables (reader, OLS from summary
statistics, rounding ranges, checks, unit search, table generator) is the separate package
:mod:`tableaudit` (``tableaudit/``), which imports nothing from ``westgov``.
"""

__version__ = "0.1.0"

import os as _os


def _set_up_language() -> None:
    """Figures and tables in the output language: CJK fonts and Chinese table headers when
    ``WESTGOV_LANG=zh`` (the Chinese edition, issue 27). Runs at import; the build runs it again when a kernel that has executed an English
    chapter goes on to its Chinese twin (:mod:`westgov.book.build`)."""
    if _os.environ.get("WESTGOV_LANG") == "zh":
        from .i18n import show_tables_in_chinese, use_language_fonts

        use_language_fonts("zh")
        show_tables_in_chinese()  # tables' headers in Chinese; the code keeps its English names


_set_up_language()
