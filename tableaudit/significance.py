"""Significance conventions: p-values of correlations, and stars at declared levels.

* :func:`correlation_pvalue` -- two-sided p-value of a Pearson correlation (t test, n - 2 df);
* :class:`StarRule` -- what the stars of a table mean: their levels (10 / 5 / 1 % by default, or
  5 / 1 / 0.1 %, or any one to three levels a table declares) and whether the test is two-sided
  (the default) or one-sided;
* :func:`stars` -- the stars of a two-sided p-value under a rule (10 / 5 / 1 % two-sided by default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _stats

#: The usual thresholds of economics journals: * 10 %, ** 5 %, *** 1 %.
STAR_LEVELS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))

#: Printed marks that say "not significant" in so many words; read as no stars.
NOT_SIGNIFICANT = ("n.s.", "ns", "n.s", "ns.")


@dataclass(frozen=True)
class StarRule:
    """What the stars of a table mean.

    ``levels`` are the significance levels of ``*``, ``**``, ``***`` (loosest first, as fractions:
    ``(0.10, 0.05, 0.01)``); a table with two levels prints ``*`` and ``**`` only. With
    ``one_sided`` a star means the one-sided p-value (half the two-sided one, in the direction of
    the estimate) is below the level.
    """

    levels: tuple[float, ...] = (0.10, 0.05, 0.01)
    one_sided: bool = False

    @property
    def marks(self) -> list[str]:
        """The marks a table may print, from none to the most: ``["", "*", "**", "***"]``."""
        return ["*" * i for i in range(len(self.levels) + 1)]

    def pairs(self) -> list[tuple[float, str]]:
        """(level, mark) from the strictest level to the loosest, as :data:`STAR_LEVELS`."""
        return [(lvl, "*" * (i + 1)) for i, lvl in reversed(list(enumerate(self.levels)))]

    def mark(self, p: float | None) -> str:
        """The stars of a two-sided p-value under this rule ('' when none, or p unknown)."""
        if p is None or np.isnan(p):
            return ""
        if self.one_sided:
            p = p / 2
        for level, mark in self.pairs():
            if p < level:
                return mark
        return ""

    def mark_for_t(self, t: float, df: int) -> str:
        """The stars of a t statistic with ``df`` degrees of freedom."""
        return self.mark(2 * _stats.t.sf(abs(t), df))

    def critical_t(self, df: int) -> list[tuple[str, float]]:
        """(mark, |t| a star needs) from the most stars to the fewest."""
        tail = 1.0 if self.one_sided else 2.0
        return [(mark, float(_stats.t.ppf(1 - lvl / tail, df))) for lvl, mark in self.pairs()]

    @property
    def test(self) -> str:
        return "one-sided" if self.one_sided else "two-sided"

    def describe(self) -> str:
        """'10 / 5 / 1 %, two-sided'."""
        return " / ".join(_percent(lvl) for lvl in self.levels) + f" %, {self.test}"


def _percent(level: float) -> str:
    return f"{level * 100:.6g}"


#: The default rule: * 10 %, ** 5 %, *** 1 %, two-sided.
DEFAULT_STARS = StarRule()


def correlation_pvalue(r: float | np.ndarray, n: int) -> float | np.ndarray:
    """Two-sided p-value of H0: rho = 0, from t = r sqrt((n - 2) / (1 - r^2)) with n - 2 df."""
    r = np.asarray(r, dtype=float)
    with np.errstate(divide="ignore"):
        t = r * np.sqrt((n - 2) / np.clip(1 - r**2, 0, None))
    p = 2 * _stats.t.sf(np.abs(t), n - 2)
    return float(p) if p.ndim == 0 else p


def stars(p: float, rule: StarRule = DEFAULT_STARS) -> str:
    """'***', '**', '*' or '' for a two-sided p-value, at the 1 / 5 / 10 % levels unless ``rule`` says otherwise."""
    return rule.mark(p)


def abs_t_of_p(p: float, df: int, one_sided: bool = False) -> float:
    """The |t| whose p-value (two-sided unless ``one_sided``) with ``df`` degrees of freedom is ``p``."""
    if p <= 0:
        return float("inf")
    if p >= (0.5 if one_sided else 1.0):
        return 0.0
    return float(_stats.t.isf(p if one_sided else p / 2, df))
