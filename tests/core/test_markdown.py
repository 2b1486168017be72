"""User-written markdown: rendered, sanitised, and nothing of one text carried into the next."""

import threading

from guilde.core.markdown import render_markdown


def test_renders_the_usual_markdown():
    html = render_markdown("**Bold** and *em*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>Bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert "<table>" in html
    assert "<td>1</td>" in html


def test_removes_scripts_handlers_and_javascript_links():
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3)) [ok](https://example.com)'
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in html


def test_empty_text_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""  # type: ignore[arg-type]


def test_one_texts_definitions_do_not_leak_into_the_next():
    """The converter is reused: abbreviations and footnotes of a text belong to that text only."""
    first = render_markdown("The ARR grew[^1].\n\n*[ARR]: Annual recurring revenue\n\n[^1]: Since May.")
    assert '<abbr title="Annual recurring revenue">ARR</abbr>' in first
    assert "Since May." in first
    second = render_markdown("The ARR is stable.")
    assert "<abbr" not in second
    assert "Since May" not in second
    assert second == "<p>The ARR is stable.</p>"


def test_threads_render_side_by_side():
    texts = [f"Item **{n}**\n\n- a{n}\n- b{n}" for n in range(40)]
    results: dict[int, str] = {}

    def render(n: int) -> None:
        results[n] = str(render_markdown(texts[n]))

    threads = [threading.Thread(target=render, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, html in results.items():
        assert f"<strong>{n}</strong>" in html
        assert f"<li>a{n}</li>" in html
