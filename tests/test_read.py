"""Readers: every format in, Articles or numbered Failures out; nothing bad stops the stream."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest

from polybius.read import Limits, article_from_text, extract_html, parse_date, read_paths
from polybius.records import Article, Failure

STORY = "Azerbaijan's Defense Minister met the Ambassador of Iran on July 18.\n\nThe parties discussed cooperation."


def _read(*paths, **kw):
    return list(read_paths([str(p) for p in paths], **kw))


def test_header_gives_date_and_author_and_is_stripped():
    art = article_from_text("date 2019-07-18 By Abdul Kerimkhanov\n\n" + STORY, origin="x.txt")
    assert art.published == date(2019, 7, 18)
    assert art.author == "Abdul Kerimkhanov"
    assert art.text.startswith("Azerbaijan's Defense Minister")
    assert art.id.startswith("art_")


def test_header_with_leading_space_as_in_the_seed_story():
    art = article_from_text(" date 2019-07-18 By Abdul Kerimkhanov\n\n" + STORY)
    assert art.published == date(2019, 7, 18)


def test_text_without_header_has_no_date_unless_given(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    (art,) = _read(path)
    assert isinstance(art, Article) and art.published is None
    (art,) = _read(path, date=date(2020, 1, 2))
    assert art.published == date(2020, 1, 2)


def test_same_text_same_id_whatever_the_whitespace():
    a = article_from_text(STORY)
    b = article_from_text(STORY.replace(" ", "  ").replace("\n\n", "\r\n\r\n") + "\u200b")
    assert a.id == b.id


def test_jsonl_fields_and_source_id(tmp_path):
    path = tmp_path / "a.jsonl"
    rows = [
        {"id": "x1", "text": STORY, "date": "2019-07-18", "url": "http://e.x/1", "title": "T", "source": "AzerNews", "author": "A"},
        {"text": "Iran condemned the decision on Monday."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second = _read(path)
    assert first.source_id == "x1" and first.url == "http://e.x/1" and first.source == "AzerNews"
    assert first.published == date(2019, 7, 18) and first.origin.endswith("a.jsonl:1")
    assert second.source_id is None and second.origin.endswith(":2")


def test_jsonl_bad_lines_are_numbered_failures_and_the_rest_is_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join([
            json.dumps({"text": STORY}),
            '{"text": "unterminated',
            json.dumps({"title": "no text"}),
            json.dumps({"text": "   "}),
            json.dumps([1, 2]),
            json.dumps({"text": STORY, "date": "18/07/2019"}),
            json.dumps({"text": STORY + " Later."}),
        ]),
        encoding="utf-8",
    )
    items = _read(path)
    codes = [i.code if isinstance(i, Failure) else "ok" for i in items]
    assert codes == ["ok", "E005", "E006", "E002", "E005", "E009", "ok"]
    assert items[1].origin.endswith("mixed.jsonl:2") and "mixed.jsonl:2" in items[1].message


def test_empty_binary_latin1_and_missing(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le ministre a rencontré l'ambassadeur à Bakou.".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    items = _read(empty, binary, latin, tmp_path / "missing.txt", good)
    assert [i.code if isinstance(i, Failure) else "ok" for i in items] == ["E002", "E003", "E004", "E001", "ok"]
    assert "image.txt" in items[1].message and "PNG" in items[1].message
    assert "latin.txt" in items[2].message and "--encoding" in items[2].message
    (fixed,) = _read(latin, encoding="latin-1")
    assert "rencontré" in fixed.text


def test_header_only_file_is_empty(tmp_path):
    path = tmp_path / "h.txt"
    path.write_text("date 2019-07-18 By Someone\n\n", encoding="utf-8")
    (item,) = _read(path)
    assert item.code == "E002"


def test_directory_and_glob_are_sorted_and_recursive(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(STORY + " B", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text(STORY + " A", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    found = [Path(a.origin).name for a in _read(tmp_path)]
    assert found == ["b.txt", "a.txt"]
    globbed = [Path(a.origin).name for a in _read(str(tmp_path / "**" / "*.txt"))]
    assert sorted(globbed) == ["a.txt", "b.txt"]
    (miss,) = _read(str(tmp_path / "*.nothing"))
    assert miss.code == "E001"


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"whatever")
    (item,) = _read(path)
    assert item.code == "E008"


def test_gzip_jsonl_and_corrupt_gzip(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": STORY}) + "\n")
    (art,) = _read(path)
    assert art.source_id == "g1"
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress(((json.dumps({"text": STORY}) + "\n") * 50).encode())[:60])
    items = _read(bad)
    assert items and isinstance(items[-1], Failure) and items[-1].code == "E013"


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": [STORY, ""], "date": ["2019-07-18", None]}), path)
    first, second = _read(path)
    assert first.source_id == "p1" and first.published == date(2019, 7, 18)
    assert second.code == "E002"
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    (item,) = _read(broken)
    assert item.code == "E011"


def test_stdin_text_and_jsonl():
    (art,) = list(read_paths(["-"], stdin=io.BytesIO(("date 2019-07-18 By X\n\n" + STORY).encode())))
    assert art.published == date(2019, 7, 18)
    lines = (json.dumps({"text": STORY}) + "\n" + "{oops\n").encode()
    items = list(read_paths(["-"], stdin=io.BytesIO(lines)))
    assert isinstance(items[0], Article) and items[1].code == "E005"


def test_limits(tmp_path):
    limits = Limits(max_article_chars=100, max_line_bytes=200, max_file_bytes=1000)
    path = tmp_path / "long.txt"
    path.write_text("word " * 30, encoding="utf-8")
    (item,) = _read(path, limits=limits)
    assert item.code == "E007"
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * 2000, encoding="utf-8")
    (item,) = _read(huge, limits=limits)
    assert item.code == "E014"
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({"text": "y" * 500}) + "\n" + json.dumps({"text": "short one"}) + "\n", encoding="utf-8")
    first, second = _read(lines, limits=limits)
    assert first.code == "E015" and isinstance(second, Article)


def test_html_main_text_title_and_date(tmp_path):
    html = """<html><head><title>Ministers meet</title>
    <meta property="article:published_time" content="2019-07-18T10:00:00Z">
    <script>var x = "<p>not text</p>";</script></head>
    <body><nav><p>Home | World | Sport</p></nav>
    <article><h1>Ministers meet</h1><p>Azerbaijan's Defense Minister met the Ambassador of Iran in Baku on Thursday.</p>
    <p>The two sides discussed military cooperation and regional security in a long meeting, officials said.</p>
    <p>They agreed to meet again in Tehran later this year, according to a statement from the ministry.</p></article>
    <footer><p>Copyright</p></footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (art,) = _read(path)
    assert art.title == "Ministers meet" and art.published == date(2019, 7, 18)
    assert "discussed military cooperation" in art.text
    assert "Home | World" not in art.text and "not text" not in art.text and "Copyright" not in art.text
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    (item,) = _read(empty)
    assert item.code == "E010"


def test_html_unterminated_comment_is_linear():
    text, _ = extract_html("<p>" + "word " * 100 + "</p><!--" + "x" * 2_000_000)
    assert text.startswith("word")


def test_parse_date_rules():
    assert parse_date("20080804") == date(2008, 8, 4)
    assert parse_date("2019-07-18T10:00:00Z") == date(2019, 7, 18)
    assert parse_date("") is None
    with pytest.raises(Exception) as err:
        parse_date("0019-07-18")
    assert "E012" in str(err.value)
