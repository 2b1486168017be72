"""User-written markdown to safe HTML: rendered by `markdown`, then sanitised by `nh3`.

User content is never trusted: scripts, event handlers, styles and `javascript:` links
are removed whatever the markdown says.
"""

import threading
from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}

# Building a `Markdown` with its extensions costs about as much as converting a paragraph with it:
# each thread keeps one and resets it between texts (an instance is not safe to share).
_converters = threading.local()


def _converter() -> md.Markdown:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return converter


# The same texts come back again and again (a feedback's problem on its page, a topic's
# comments, the charter): the result depends on the text alone, so the latest ones are kept.
@lru_cache(maxsize=256)
def _clean_html(text: str) -> str:
    html = _converter().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> SafeString:
    if not text:
        return SafeString("")
    return mark_safe(_clean_html(text))  # noqa: S308 - sanitised by nh3 in _clean_html
