"""The bibliography's style: pybtex's ``plain``, sorted so that institutional authors file by name.

An institution is written in ``references.bib`` as one brace-protected name
(``author = {{CCID Think Tank}}``) so that BibTeX does not split it into first and last names.
pybtex's sorting key keeps the brace, and ``{`` sorts after every letter, so all institutions
landed after "Z". :class:`SortingStyle` drops braces from the key: "CCID Think Tank" files under C.
``_config.yml`` selects the style as ``bibtex_default_style: westgov``.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle

NAME = "westgov"


class SortingStyle(AuthorYearTitle):
    """Author, year, title, with braces removed from the author key."""

    def person_key(self, person) -> str:
        return super().person_key(person).replace("{", "").replace("}", "")


class Style(PlainStyle):
    """pybtex's plain style with :class:`SortingStyle`."""

    default_sorting_style = SortingStyle


def register() -> None:
    """Make ``bibtex_default_style: westgov`` known to pybtex (idempotent)."""
    register_plugin("pybtex.style.formatting", NAME, Style, force=True)
