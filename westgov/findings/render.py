"""The ledger on the page: ``glue_all`` glues every finding's words and certainty for the
chapters, ``official_summary`` words the five official series in one sentence, ``table`` lists
the ledger, and ``letter`` words the questions to the authors from it."""

from __future__ import annotations

import pandas as pd

from westgov import variables

from .assemble import ledger
from .evidence import Finding
from .inputs import _name
from .scale import CONTRADICTED, HOLDS, SCALE, UNDECIDABLE


#: The words of an official-series finding decided by one extreme of a partial series.
PARTIAL = "official figures cover"


def official_groups(book: dict[str, Finding]) -> tuple[dict[str, list[str]], list[str]]:
    """The official series' paper ids by certainty, and apart from them those contradicted only by
    one extreme of a partial series (official-var2): what both summaries (English, Chinese) word."""
    groups: dict[str, list[str]] = {level: [] for level in SCALE}
    by_one_value = []
    for pid in variables.OFFICIAL_PAPER_IDS:
        f = book[f"official-{pid.lower()}"]
        if f.certainty == CONTRADICTED and PARTIAL in f.text:
            by_one_value.append(pid)
        else:
            groups[f.certainty].append(pid)
    return groups, by_one_value


def official_summary(book: dict[str, Finding]) -> str:
    """One sentence on the five official series, from their findings."""
    ids, one_value_ids = official_groups(book)
    groups = {level: [_name(None, pid) for pid in pids] for level, pids in ids.items()}
    by_one_value = [_name(None, pid) for pid in one_value_ids]

    def listed(names: list[str]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    parts = []
    if groups[HOLDS]:
        parts.append(f"{listed(groups[HOLDS])} reproduces Table 2 to every printed digit")
    if groups[CONTRADICTED]:
        parts.append(f"{listed(groups[CONTRADICTED])} do not, beyond rounding")
    if by_one_value:
        parts.append(f"nor does {listed(by_one_value)}, but only by one preliminary value")
    if groups[UNDECIDABLE]:
        reason = (
            "an approximate definition"
            if groups[UNDECIDABLE] == [_name(None, "Var8")]
            else "partial coverage or an approximate definition"
        )
        parts.append(f"for {listed(groups[UNDECIDABLE])} it cannot be decided ({reason})")
    return "; ".join(parts)


def glue_all(glue, book: dict[str, Finding] | None = None, ids=None) -> None:
    """Glue ``finding_<id>`` (the wording at its certainty, with underscores for dashes) and
    ``finding_<id>_certainty`` for every finding (or those in ``ids``)."""
    from IPython.display import Markdown  # inline Markdown: {glue:md}`finding_<id>`

    from westgov.i18n import language

    from . import zh

    chinese = language() == "zh"  # the Chinese edition: westgov/findings/wording_zh.yml
    book = book if book is not None else ledger()
    for fid, f in book.items():
        if ids is not None and fid not in ids:
            continue
        key = "finding_" + fid.replace("-", "_")
        glue(key, Markdown(zh.text(f) if chinese else f.text), display=False)
        glue(key + "_certainty", zh.CERTAINTY[f.certainty] if chinese else f.certainty, display=False)
    summary = zh.official_summary(book) if chinese else official_summary(book)
    glue("finding_official_summary", Markdown(summary), display=False)


def table(book: dict[str, Finding] | None = None) -> pd.DataFrame:
    """The ledger as a table: id, home, statement, certainty (in the language of the output:
    the Chinese statements and certainty of ``wording_zh.yml`` on the Chinese pages)."""
    from westgov.i18n import language, prefixed

    from . import zh

    book = book if book is not None else ledger()
    if language() == "zh":
        entries = zh.table()
        pages = prefixed("page")
        return pd.DataFrame(
            [
                {
                    "结论": f.id,
                    "论断": entries[f.id]["statement"] if f.id in entries else f.statement,
                    "确定程度": zh.CERTAINTY[f.certainty],
                    "证据": f"{{ref}}`{pages.get(f.home, f.home)} <{f.label}>`",
                }
                for f in book.values()
            ]
        )
    return pd.DataFrame(
        [
            {
                "finding": f.id,
                "statement": f.statement,
                "certainty": f.certainty,
                "evidence": f"{{ref}}`{f.home} <{f.label}>`",
            }
            for f in book.values()
        ]
    )


def letter(book: dict[str, Finding], v: dict[str, str]) -> str:
    """The numbered questions of the letter to the authors (MyST Markdown), worded from the
    ledger's findings; ``v`` holds the formatted numbers the letter's chapter computes. This is
    the book's one list of questions for the authors (the audit chapter links to it). Each
    question has an id; the Chinese pages word it from ``letter_zh.yml`` (:mod:`.letter_zh`)."""
    from westgov.i18n import language

    from . import letter_zh as zh_letter

    def t(fid):
        return book[fid].text

    def link(fid, title):
        return f"{{ref}}`{title} <finding-{fid.split('-var')[0] if fid.startswith('official') else fid}>`"

    a = [
        (
            "data",
            "*Would you share the data?* The twelve rows of eight variables would settle most of "
            "what follows. The province scores of the digital-government and big-data indices are "
            "not published in text form; if licence terms prevent sharing them, could you share the "
            "other five variables and the exact report editions?"
        ),
        (
            "var5-var6",
            "*How were financial resource supply (Var5) and R&D expenditure (Var6) computed?* "
            "Table 1 defines them as budget expenditure over GDP and R&D expenditure over GDP, and "
            "cites the *China Statistical Yearbook (2020)* and the *China Science and Technology "
            "Statistical Yearbook (2020)*; the study's year is 2020, whose figures the 2021 editions "
            f"publish. {t('official-var5')}; {t('official-var6')}. For R&D "
            f"intensity Table 2 prints a maximum of {v['rd_max_paper']}; the highest western value "
            f"in 2020 is {v['rd_max_official']} ({v['rd_max_region']}). Which numerators, "
            f"denominators, years and editions did you use? ({link('official', 'data')})"
        ),
        (
            "var8",
            "*Was per-capita GDP (Var8) the same series in Tables 2 and 3?* "
            f"{t('official-var8')}. But Table 3 prints a correlation of {v['r78_paper']} between "
            f"population and Var8, while the official series give {v['r78_per_capita']} for "
            f"population and per-capita GDP, and {v['r78_total']} for population and *total* GDP. "
            "Was total GDP used when the correlations and regressions were computed? "
            "({doc}`correlations`)"
        ),
        (
            "edition",
            "*Which edition of the digital-government index is the outcome?* Table 1 cites the "
            "*2020 Digital Government Development Index Report*; section 2.4 cites Tsinghua "
            "University's *Research Report on the Development of Digital Government in China "
            "(2021)*, and the places it quotes for Sichuan and Guizhou "
            f"({v['rank_sichuan']} and {v['rank_guizhou']}) are also their places in the published "
            "top ten of the 2020 index. The economic variables cite the *China Statistical Yearbook "
            "(2020)*, whose figures are for 2019, while the population statistics of Table 2 match "
            "the 2020 figures of the 2021 edition. ({doc}`dilemmas`, {doc}`model`)"
        ),
        (
            "outcome",
            '*How should the outcome be read?* Table 1 calls it a "social governance development '
            'index", the text of section 4.1 a "data governance development index", and its '
            "source is a digital government index. What, in your view, makes a digital-government "
            "score a good measure of the modernization of social governance? ({doc}`model`)"
        ),
    ]
    b = [
        (
            "units",
            "*In which units were the variables of Table 4 entered?* "
            f"{t('raw-units')}. {t('units-m1')}. {t('units-m1-r2')}. {t('units-m2')}. "
            "Which variables did you "
            "standardize, and in which units did you enter the others? "
            f"({link('units-m1', 'audit, M1')}, {link('units-m2', 'M2')})"
        ),
        (
            "rd-sign",
            f"*Could you confirm the sign of the R&D coefficient?* {t('rd-sign')}: "
            f"{t('rd-sign-m2')}; {t('rd-sign-m3')}; {t('rd-sign-m4')}. "
            f"{t('rd-insignificant')}. ({link('rd-sign', 'audit, R&D')})"
        ),
        (
            "same-sample",
            "*Were M3 and M4 estimated on the same twelve regions and variables as Tables 2 and 3?* "
            f"{t('units-m3')}. {t('units-m4')}. ({link('units-m4', 'audit, M4')})"
        ),
        (
            "stars",
            f"*How were the stars assigned?* {t('stars')}. In M3 the big-data index carries a star "
            f"with |t| = {v['t_m3_var3']}; in M4 the budget ratio carries one star with "
            f"|t| = {v['t_m4_var5']}, which would earn three with {v['df_m4']} degrees of freedom. "
            "Which test, which degrees of freedom, and one- or two-sided? "
            f"({link('stars', 'audit')})"
        ),
    ]
    c = [
        (
            "vif",
            "*Which VIFs does section 4.1 report?* It states that every VIF is below "
            f"{v['vif_claim_max']}, with a mean of {v['vif_claim_mean']}. {t('vif')}. "
            f"({link('vif', 'correlations')})"
        ),
        (
            "components",
            "*Is information-infrastructure readiness a component of the big-data index?* Both "
            "come from the CCID assessment report, in whose index system readiness is a "
            'second-level indicator under "basic environment". If so, M3 and M4 contain a '
            f"composite and one of its parts (their printed correlation is {v['r_34']}), and "
            "neither coefficient has its usual meaning. Would a model with the composite alone, or "
            "with its components alone, change your conclusions? ({doc}`model`)"
        ),
        (
            "significance",
            '*At what level do the models "pass the significance test"?* M3 and M4 have printed '
            f"p-values of {v['p_m3']} and {v['p_m4']}, significant at 10 % only, and M4 leaves "
            f"{v['df_m4']} residual degrees of freedom. {t('models-significant')}. Did you "
            "consider fewer regressors, or checks of robustness to single regions? "
            f"({link('models-significant', 'regressions')})"
        ),
    ]
    d = [
        (
            "recommendations",
            "*Which estimates support which recommendation?* Only the recommendation on data and "
            "digital infrastructure has a corresponding variable. The budget ratio, the nearest "
            "variable to the resource guarantees of recommendation (1), correlates positively with "
            f"the outcome in Table 3, but {t('budget-direction')[0].lower()}"
            f"{t('budget-direction')[1:]} ({link('budget-direction', 'recommendations')}). What "
            "evidence in the paper supports the recommendations on top-level design, talent, the "
            "grassroots, and (in the abstract) security and privacy? ({doc}`recommendations`)"
        ),
        (
            "explanation",
            "*What is the evidence for the conclusion's explanation?* The conclusion attributes "
            "differences between urban and grassroots governance to education levels and "
            "ethnic-minority cultural concepts, among other causes. None enters the models, and "
            "all data are provincial. Is there evidence outside the paper that you could cite?"
        ),
    ]
    chinese = language() == "zh"
    out, number = [], 1
    for heading, items in (
        ("A. Data and variables", a),
        ("B. Table 4", b),
        ("C. Specification", c),
        ("D. From results to recommendations", d),
    ):
        out.append(f"**{zh_letter.HEADINGS[heading] if chinese else heading}**\n")
        for qid, item in items:
            out.append(f"{number}. {zh_letter.question(qid, book, v, item) if chinese else item}")
            number += 1
        out.append("")
    return "\n".join(out)
