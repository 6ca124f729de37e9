"""westgov: helpers for the reproducible re-analysis of Luo, Yuan, Huang and Qian.

One module per concern:

* :mod:`westgov.paths` -- where the book, its data and its build live;
* :mod:`westgov.data` -- loading and validating every data file (pandera schemas);
* :mod:`westgov.checksums` -- the ``data/SHA256SUMS`` manifest;
* :mod:`westgov.variables` -- the paper's variables derived from official statistics;
* :mod:`westgov.sumstats` -- OLS computed from means, standard deviations and correlations;
* :mod:`westgov.replica` -- a data set whose moments equal the paper's Tables 2 and 3;
* :mod:`westgov.models` -- the paper's models M1-M4 and their estimation;
* :mod:`westgov.build` -- building the book without publishing stale outputs.
"""

__version__ = "0.1.0"
