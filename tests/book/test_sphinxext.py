"""The Sphinx extension's page optimizations: math as MathML, icons as CSS, one stylesheet."""

from __future__ import annotations

import re

import pytest

from westgov.book import sphinxext


def test_display_math_becomes_mathml_rows():
    tex = "\\begin{aligned}\n\\mathrm{digital\\_government\\_index}_i = \\beta_0\n&+ \\beta_1 x_i \\\\\n&+ \\varepsilon_i\n\\end{aligned}"
    mathml = sphinxext.tex_to_mathml(tex, display=True)
    assert mathml.startswith('<math display="block">')
    assert mathml.count("<mtr") == 2  # two rows, aligned
    assert "<mtext>digital_government_index</mtext>" in mathml  # one word, not 22 letters
    assert "&amp;" not in mathml and "\\" not in mathml


def test_inline_math_and_symbols():
    mathml = sphinxext.tex_to_mathml("\\hat\\beta = (X^\\top X)^{-1} X^\\top y", display=False)
    assert mathml.startswith('<math display="inline">') and "<msup>" in mathml and "&#x003B2;" in mathml


@pytest.mark.parametrize("tex", ["a &= b", "a \\\\ b", "\\frac{1}{", "\\notacommand{x}"])
def test_math_that_would_render_wrong_is_refused(tex):
    with pytest.raises(ValueError):
        sphinxext.tex_to_mathml(tex, display=True)


def test_amsmath_numbering_is_left_to_sphinx():
    mathml = sphinxext.tex_to_mathml("\\begin{align} a &= b \\\\ c &= d \\end{align}", display=True)
    assert "(1)" not in mathml and mathml.count("<mtr") == 2


def test_icons_come_from_font_awesome_paths():
    icons = sphinxext.fontawesome_icons(sphinxext.fontawesome_js())
    assert icons[("fas", "bars")][:2] == (448, 512)
    assert ("fab", "github") in icons and ("fas", "search") in icons  # an alias of magnifying-glass
    css = sphinxext.icon_css({"bars", "github"}, icons)
    assert ".fa-solid.fa-bars::before" in css and ".fa-brands.fa-github::before" in css
    assert css.count("mask:") == 2 and "fa-moon" not in css


def test_optimized_page_defers_scripts_and_drops_font_awesome():
    page = (
        '<html><head><script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js" />\n'
        '<script src="../_static/documentation_options.js?v=1"></script>\n'
        '<script src="../_static/doctools.js?v=2"></script>\n'
        "<script>DOCUMENTATION_OPTIONS.pagename = 'x';</script>\n"
        '<script async="async" src="../_static/thebe.js"></script>\n'
        '</head><body><img src="a.png" alt="a"><img loading="eager" src="b.png"></body></html>'
    )
    out = sphinxext.optimize_html(page, "const DOCUMENTATION_OPTIONS = {};")
    assert "fontawesome" not in out and "preload" not in out
    assert "<script>const DOCUMENTATION_OPTIONS = {};</script>" in out
    assert '<script defer src="../_static/doctools.js?v=2"></script>' in out
    assert '<script async="async" src="../_static/thebe.js"></script>' in out
    assert '<img loading="lazy" decoding="async" src="a.png" alt="a">' in out and '<img loading="eager" src="b.png">' in out
    assert not re.search(r"<script(?![^>]*\b(defer|async)\b)[^>]*\bsrc=", out)
    assert sphinxext.optimize_html(out, "const DOCUMENTATION_OPTIONS = {};") == out  # idempotent


def test_stylesheets_become_one_bundle_with_imports_and_urls_rebased(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("p{margin:0}", encoding="utf-8")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n@font-face{src:url(../vendor/f.woff2)}', encoding="utf-8")
    (static / "own.css").write_text("a{background:url('img/x.png')} b{background:url(data:image/png;base64,AA)}", encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    page = tmp_path / "chapters" / "p.html"
    html = (
        '<html><head>\n<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
        '    <link rel="stylesheet" type="text/css" href="../_static/own.css?v=2" />\n</head><body></body></html>'
    )
    out = sphinxext.bundle_stylesheets(html, page, tmp_path)
    links = re.findall(r'<link[^>]*href="([^"]+)"', out)
    assert len(links) == 1 and links[0].startswith("../_static/" + sphinxext.BUNDLE_PREFIX)
    bundle = (page.parent / links[0]).read_text(encoding="utf-8")
    assert bundle.index("p{margin:0}") < bundle.index("url(vendor/f.woff2)") < bundle.index("url('img/x.png')")
    assert "@import" not in bundle and "url(data:image/png;base64,AA)" in bundle
    assert sphinxext.bundle_stylesheets(out, page, tmp_path) == out


def test_icon_fonts_keep_the_glyphs_the_stylesheets_name():
    css = '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}:root{--pst-icon-x:"\\f0eb"}.a:after{content:"\uf35d"}'
    assert sphinxext.css_icon_codepoints(css) == {0xF0EB, 0xF35D}


def test_alternate_link_is_absolute_and_names_the_other_edition():
    from westgov.book.sphinxext import alternate_url

    assert alternate_url("https://x.io/b/", "chapters/audit", "en") == "https://x.io/b/zh/chapters/audit.html"
    assert alternate_url("https://x.io/b/zh/", "chapters/audit", "zh") == "https://x.io/b/chapters/audit.html"
    assert alternate_url("https://x.io/b", "index", "en") == "https://x.io/b/zh/index.html"
