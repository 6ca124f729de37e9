"""The book's machinery: how the chapters become a website, a PDF and notebooks.

Nothing here computes a number of the study; the study is :mod:`westgov`, the audit of any paper's
tables is :mod:`tableaudit`.

* :mod:`westgov.book.build` -- building the book without publishing stale outputs (``make book``);
* :mod:`westgov.book.sphinxext` -- the Sphinx extension: MathML, CSS icons, one stylesheet;
* :mod:`westgov.book.launch` -- launch buttons and notebooks that run outside the repository;
* :mod:`westgov.book.pdf` -- the PDF of the whole book (``make pdf``);
* :mod:`westgov.book.bench` -- the benchmarks of ``make bench``;
* :mod:`westgov.book.pagenumbers` -- the glued numbers read back from the build (for the tests);
* :mod:`westgov.book.cli` -- the commands ``bench``, ``book`` and ``notebooks`` of ``python -m westgov``.
"""
