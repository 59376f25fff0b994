"""Security: SQL injection through every filter, XSS in stored text, path traversal, oversized
requests, and tokens on the write endpoints. No model needed (hand-built sample events)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from polybius.api.app import Limits, create_app
from polybius.api.sample import coded_article, sample_articles
from polybius.cli import main
from polybius.errors import MESSAGES
from polybius.records import CodedArticle
from polybius.store import Store

API = "/api/v1"
STATIC = Path(__file__).resolve().parents[1] / "src" / "polybius" / "api" / "static"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

# What an attacker types into a filter. Each must give no rows or a numbered validation error.
INJECTIONS = [
    "AZE' OR 1=1 --",
    "AZE' OR '1'='1",
    "x; DROP TABLE events",
    "'; DROP TABLE events; --",
    "2019-01-01' --",
    "2019-01-01' OR '1'='1",
    "1 OR 1=1",
    "' UNION SELECT * FROM articles --",
    "AZE\x00",
    'AZE") OR ("1"="1',
    "%27%20OR%201%3D1",
    "04' OR starts_with(cameo, '')--",
    "*",
    "%",
    "_",
]


def xss_article() -> CodedArticle:
    coded = coded_article(__import__("datetime").date(2019, 7, 18), "AZE", "IRN", "CONSULT", "Evil",
                          lead=f"{SCRIPT} {IMG}")  # fmt: skip
    article = dataclasses.replace(coded.article, title=f"{SCRIPT}{IMG}", source=IMG, author=SCRIPT)
    return CodedArticle(article=article, events=coded.events)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("security") / "sec.duckdb"
    with Store(path) as store:
        store.add_batch([*sample_articles(40), xss_article()])
    return path


def counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.counts()


@pytest.fixture(scope="module")
def before(db) -> dict[str, int]:
    return counts(db)


class NoCoder:
    def code(self, article):
        return CodedArticle(article=article, events=())


@pytest.fixture(scope="module")
def client(db):
    app = create_app(db_path=db, coder_factory=NoCoder, read_only=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_safe(res, total_events: int) -> None:
    """200 with no more rows than exist and none selected by the injection, or a numbered 4xx."""
    assert res.status_code < 500, res.text
    if res.status_code >= 400:
        err = res.json()["error"]
        assert err["code"] in MESSAGES and err["message"].startswith(err["code"])
        assert "duckdb" not in err["message"].lower() and "syntax" not in err["message"].lower()
        return
    body = res.json()
    for key in ("events", "rows", "places", "series"):
        if isinstance(body.get(key), list) and key == "events":
            assert len(body[key]) == 0, f"an injection selected rows: {body[key][:1]}"


GET_FILTERS = {
    "/events": ["country", "dyad", "type", "from", "to", "article_id", "after"],
    "/timeline": ["country", "dyad", "type", "from", "to", "by"],
    "/places": ["country", "dyad", "type", "from", "to"],
    "/export": ["country", "dyad", "type", "from", "to", "format"],
    "/top": ["by", "from", "to"],
}


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("route,param", [(r, p) for r, ps in GET_FILTERS.items() for p in ps])
def test_sql_injection_through_every_api_filter(client, db, before, route, param, payload):
    res = client.get(API + route, params={param: payload})
    assert_safe(res, before["events"])
    if route == "/export" and res.status_code == 200:
        assert res.text.count("\n") <= 1, "an injected export filter selected events"


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("param", ["a", "b", "by", "from", "to"])
def test_sql_injection_through_relations(client, before, param, payload):
    params = {"a": "AZE", "b": "IRN", param: payload}
    res = client.get(API + "/relations", params=params)
    assert res.status_code < 500, res.text
    if res.status_code >= 400:
        assert res.json()["error"]["code"] in MESSAGES


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_through_the_article_path(client, payload):
    from urllib.parse import quote

    res = client.get(API + "/articles/" + quote(payload, safe=""))
    assert res.status_code in (404, 422), res.text
    assert res.json()["error"]["code"] in MESSAGES


def test_tables_survive_every_injection(client, db, before):
    for payload in INJECTIONS:
        for route, params in GET_FILTERS.items():
            for p in params:
                client.get(API + route, params={p: payload})
    assert client.get(API + "/health").json()["events"] == before["events"]
    assert counts(db) == before


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize(
    "option", ["--country", "--type", "--root", "--from", "--to", "--after", "--dyad"]
)
def test_sql_injection_through_polybius_events(db, before, option, payload):
    args = ["events", "--db", str(db), "--format", "jsonl", option, payload]
    if option == "--dyad":
        args += ["IRN"]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if result.exit_code == 0:
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        if option == "--after":  # a cursor compares as text: it pages, it cannot add rows
            assert len(lines) <= before["events"]
        else:
            assert lines == [], f"{option} {payload!r} selected {len(lines)} events"
    else:
        assert result.exit_code == 2, result.output
        assert re.search(r"E0\d\d|Invalid value", result.output), result.output
        assert "Traceback" not in result.output
    assert counts(db) == before


# -- XSS ------------------------------------------------------------------------------------


def test_markup_in_articles_comes_back_as_data(client):
    rows = client.get(API + "/events", params={"country": "AZE", "limit": 500}).json()["events"]
    evil = [r for r in rows if r["article"]["source"] == IMG]
    assert evil, "the XSS article is not in the events"
    assert (
        evil[0]["article"]["title"] == f"{SCRIPT}{IMG}"
    )  # stored and returned verbatim, as JSON data
    res = client.get(API + "/articles/" + evil[0]["article_id"])
    assert res.headers["content-type"].startswith("application/json")
    assert SCRIPT in res.json()["article"]["text"] and IMG in res.json()["article"]["text"]
    assert res.headers.get("x-content-type-options") == "nosniff"


def test_dashboard_js_never_parses_data_as_html():
    sinks = re.compile(r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(|"
                       r"setAttribute\(\s*['\"]on|\.html\(|createContextualFragment|DOMParser")  # fmt: skip
    found = []
    for js in STATIC.rglob("*.js"):
        for number, line in enumerate(js.read_text(encoding="utf-8").splitlines(), 1):
            if sinks.search(line) and not line.lstrip().startswith("//"):
                found.append(f"{js.name}:{number}: {line.strip()}")
    assert found == [], "HTML sinks in the dashboard JS:\n" + "\n".join(found)
    app_js = (STATIC / "app.js").read_text(encoding="utf-8")
    assert "textContent" in app_js
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html), "inline script in index.html"
    assert not re.search(r"\son\w+\s*=", html), "inline event handler in index.html"
    assert not re.search(r"(src|href)=['\"]https?://", html), (
        "the dashboard loads something from elsewhere"
    )


def test_dashboard_is_served_with_a_strict_csp(client):
    res = client.get("/")
    csp = res.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_script_in_posted_article_is_echoed_as_json_data(client):
    res = client.post(
        API + "/code", json={"text": f"{SCRIPT} {IMG} Azerbaijan met Iran.", "title": IMG}
    )
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/json")
    art = res.json()["results"][0]["article"]
    assert SCRIPT in art["text"] and art["title"] == IMG


# -- path traversal ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/../app.py", "/static/%2e%2e/app.py", "/static//etc/passwd", "/static/....//....//etc/passwd",
    f"{API}/articles/..%2f..%2f..%2fetc%2fpasswd", f"{API}/articles/%2e%2e", "/../../etc/passwd",
])  # fmt: skip
def test_no_file_outside_static_is_served(client, path):
    res = client.get(path)
    assert res.status_code in (404, 400, 422), (path, res.status_code)
    assert "root:" not in res.text and "create_app" not in res.text


def test_api_export_has_no_file_parameter(client):
    """The API's export streams (or writes to its own temporary folder); no name is taken."""
    res = client.get(
        API + "/export", params={"format": "parquet", "out": "../../evil.parquet", "path": "/tmp/x"}
    )
    assert res.status_code == 200
    assert res.headers["content-disposition"] == 'attachment; filename="events.parquet"'
    assert not Path("../../evil.parquet").exists() and not Path("/tmp/x").exists()
    bad = client.get(API + "/export", params={"format": "../../etc/passwd"})
    assert bad.status_code in (400, 422) and bad.json()["error"]["code"] in ("E066", "E072")


def test_cli_export_never_overwrites_without_force(db, tmp_path):
    """``polybius export OUT`` writes where its own user asks (it is their shell), but never
    clobbers an existing file, however the path is spelled, and never leaves half a file."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    sneaky = str(work / ".." / ".." / "victim.txt")
    result = CliRunner().invoke(main, ["export", sneaky, "--db", str(db)])
    assert result.exit_code != 0 and "E068" in result.output, result.output
    assert victim.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".victim")] == []


@pytest.mark.parametrize("db_arg", ["/etc/passwd", "/dev/null", "/proc/self/environ", "."])
def test_db_option_pointing_at_a_non_database_is_refused_untouched(db_arg):
    target = Path(db_arg)
    before = (
        target.read_bytes()[:4096] if target.is_file() and db_arg != "/proc/self/environ" else None
    )
    result = CliRunner().invoke(main, ["events", "--db", db_arg])
    if target.is_dir():  # refused by the option parser before anything is opened
        assert result.exit_code == 2 and "is a directory" in result.output, result.output
        return
    assert result.exit_code == 3, result.output
    assert re.search(r"E06[03]", result.output), result.output
    if before is not None:
        assert target.read_bytes()[:4096] == before


# -- request size and tokens ---------------------------------------------------------------------


def test_oversized_request_is_e070(db):
    app = create_app(
        db_path=db, coder_factory=NoCoder, read_only=True, limits=Limits(max_body_bytes=10_000)
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        res = c.post(API + "/code", content=b"x" * 10_001, headers={"content-type": "text/plain"})
        assert res.status_code == 413 and res.json()["error"]["code"] == "E070"

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(20):
                yield b"y" * 1000

        res = c.post(API + "/code", content=chunks(), headers={"content-type": "text/plain"})
        assert res.status_code == 413 and res.json()["error"]["code"] == "E070"
        res = c.post(
            API + "/code",
            content=b"{}",
            headers={"content-type": "text/plain", "content-length": "999999999"},
        )
        assert res.status_code == 413 and res.json()["error"]["code"] == "E070"
        res = c.post(API + "/code", json={"text": "Azerbaijan met Iran."})
        assert res.status_code == 200


def test_write_endpoint_off_localhost_without_token_is_e071(db):
    app = create_app(db_path=db, coder_factory=NoCoder, host="0.0.0.0")
    with TestClient(app, raise_server_exceptions=False) as c:
        res = c.post(API + "/ingest", json={"text": "Azerbaijan met Iran."})
        assert res.status_code == 403 and res.json()["error"]["code"] == "E071"
    assert counts(db)["articles"] == 41


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", "Basic c2VjcmV0", "Bearer", "bearer  ", "Bearer secret2", "secret"],
)
def test_write_endpoint_with_bad_token_is_e076(db, header):
    app = create_app(db_path=db, coder_factory=NoCoder, host="0.0.0.0", token="secret")
    headers = {"authorization": header} if header is not None else {}
    with TestClient(app, raise_server_exceptions=False) as c:
        res = c.post(API + "/ingest", json={"text": "Azerbaijan met Iran."}, headers=headers)
        assert res.status_code == 401 and res.json()["error"]["code"] == "E076"
        assert res.headers.get("www-authenticate") == "Bearer"


def test_write_endpoint_with_the_token_works(tmp_path):
    db = tmp_path / "w.duckdb"
    app = create_app(db_path=db, coder_factory=NoCoder, host="0.0.0.0", token="secret")
    with TestClient(app, raise_server_exceptions=False) as c:
        res = c.post(
            API + "/ingest",
            json={"text": "Azerbaijan met Iran."},
            headers={"authorization": "Bearer secret"},
        )
        assert res.status_code == 200 and res.json()["articles_new"] == 1
