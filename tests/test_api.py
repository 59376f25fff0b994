"""The HTTP API: one error shape, pagination, limits, tokens, injection strings, every route."""

from __future__ import annotations

import json
import time
from datetime import date
from urllib.parse import parse_qsl, quote

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from polybius.api import Limits, create_app  # noqa: E402
from polybius.api.sample import coded_article, sample_articles, script_article  # noqa: E402
from polybius.records import CodedArticle  # noqa: E402
from polybius.store import Store  # noqa: E402

API = "/api/v1"


class FakeCoder:
    """Codes every article as Azerbaijan meeting Iran (no model needed)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls = 0

    def code(self, article):
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        template = coded_article(article.published or date(2019, 7, 18), "AZE", "IRN", "CONSULT", "api")
        event = template.events[0].with_changes(article_id=article.id)
        return CodedArticle(article=article, events=(event,))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    with Store(path) as store:
        store.add_batch([*sample_articles(60), script_article()])
    return path


@pytest.fixture()
def client(db):
    app = create_app(db_path=db, coder_factory=FakeCoder, read_only=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_error(res, code, status):
    assert res.status_code == status, res.text
    body = res.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["code"] == code and body["error"]["status"] == status
    assert body["error"]["message"].startswith(code)
    return body["error"]


def test_meta_and_openapi(client):
    assert client.get(f"{API}/health").json()["events"] == 61
    assert client.get(f"{API}/version").json()["api"] == "v1"
    spec = client.get(f"{API}/openapi.json").json()
    paths = set(spec["paths"])
    for route in ("/code", "/ingest", "/events", "/articles/{article_id}", "/relations", "/top",
                  "/export", "/health", "/version", "/timeline", "/places"):
        assert API + route in paths, route
    assert "requestBody" in spec["paths"][f"{API}/code"]["post"]


def test_one_error_shape(client):
    assert_error(client.get(f"{API}/no-such-route"), "E074", 404)
    assert_error(client.get(f"{API}/articles/art_nope"), "E074", 404)
    assert_error(client.get(f"{API}/events?limit=0"), "E072", 422)
    assert_error(client.get(f"{API}/events?limit=abc"), "E072", 422)
    assert_error(client.get(f"{API}/relations?a=AZE"), "E072", 422)
    assert_error(client.get(f"{API}/events?country=A1"), "E066", 400)
    assert_error(client.delete(f"{API}/events"), "E072", 405)
    assert_error(client.get("/static/nothing.js"), "E074", 404)


def test_500_has_the_same_shape(db):
    def broken():
        raise RuntimeError("boom")

    app = create_app(db_path=db, coder_factory=broken, read_only=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        err = assert_error(c.post(f"{API}/code", json={"text": "Azerbaijan met Iran."}), "E077", 500)
        assert "boom" not in err["message"]


def test_pagination_with_cursor(client):
    seen, url, pages = [], f"{API}/events?limit=7", 0
    while url:
        body = client.get(url).json()
        seen += [e["id"] for e in body["events"]]
        url = body["links"]["next"]
        pages += 1
        if body["next"]:
            assert body["count"] == 7
    assert len(seen) == len(set(seen)) == 61 and pages == 9
    dates = [e["date"] for e in client.get(f"{API}/events?limit=500").json()["events"]]
    assert dates == sorted(dates, reverse=True)
    assert_error(client.get(f"{API}/events?after=not-a-cursor"), "E066", 400)


def test_filters(client):
    body = client.get(f"{API}/events?dyad=IRN-AZE&limit=500").json()
    assert body["events"] and all({e["actor"]["country"], e["recipient"]["country"]} == {"AZE", "IRN"} for e in body["events"])
    body = client.get(f"{API}/events?type=ASSAULT&from=2018-06-01&to=2019-06-01&limit=500").json()
    assert all(e["plover"] == "ASSAULT" and "2018-06-01" <= e["date"] <= "2019-06-01" for e in body["events"])
    assert client.get(f"{API}/events?country=ZZZ").json()["events"] == []


INJECTIONS = ["' OR 1=1 --", "AZE'; DROP TABLE events; --", "1) UNION SELECT text FROM articles --",
              "%' OR '%'='", "AZE\" OR \"1\"=\"1", "\u0000", "../../etc/passwd", "AZE-IRN' --"]


def test_injection_strings_are_harmless(client):
    for bad in INJECTIONS:
        for route, name in [("events", "country"), ("events", "dyad"), ("events", "type"), ("events", "from"),
                            ("events", "to"), ("events", "article_id"), ("events", "after"),
                            ("relations?b=IRN", "a"), ("top", "by"), ("top", "from"), ("timeline", "country"),
                            ("places", "type"), ("export", "format"), ("export", "dyad")]:
            path, _, fixed = route.partition("?")
            params = dict(parse_qsl(fixed))
            params[name] = bad
            res = client.get(f"{API}/{path}", params=params)
            assert res.status_code in (200, 400, 422), (route, name, bad, res.text)
            if res.status_code != 200:
                assert res.json()["error"]["code"] in ("E066", "E072"), res.text
            assert "Traceback" not in res.text and "Binder Error" not in res.text and "Parser Error" not in res.text
        res = client.get(f"{API}/articles/" + quote(bad, safe=""))
        assert res.status_code == 404 and res.json()["error"]["code"] == "E074"
    assert client.get(f"{API}/health").json()["events"] == 61  # nothing was dropped


def test_article_view_has_spans(client):
    events = client.get(f"{API}/events?limit=500").json()["events"]
    art_id = next(e["article_id"] for e in events if e["date"] == "2019-07-18" and e["article"]["source"] == "Azernews")
    body = client.get(f"{API}/articles/{art_id}").json()
    assert body["article"]["text"].startswith("<script>alert(1)</script>")  # stored and served as data
    span = body["spans"][0]
    text = body["article"]["text"]
    assert text[span["trigger"][0]:span["trigger"][1]] == "met with"
    assert text[span["sentence"][0]:span["sentence"][1]] == body["events"][0]["evidence"]["text"]


def test_relations_top_timeline_places_export(client):
    rel = client.get(f"{API}/relations?a=AZE&b=IRN&by=quarter").json()
    assert rel["title"] == "Azerbaijan – Iran, by quarter" and rel["totals"]["both"]["events"] > 0
    assert_error(client.get(f"{API}/relations?a=AZE&b=IRN&by=fortnight"), "E066", 400)
    top = client.get(f"{API}/top?by=dyad&limit=3").json()
    assert len(top["rows"]) == 3 and "-" in top["rows"][0]["key"]
    assert client.get(f"{API}/timeline?by=year").json()["series"][0]["period"].endswith("-01-01")
    assert client.get(f"{API}/places").json()["places"][0]["lat"] is not None
    land = client.get(f"{API}/map/land").json()
    assert 1000 < len(land["cells"]) < 10000
    for fmt, check in [("jsonl", lambda t: json.loads(t.splitlines()[0])["version"] == 1),
                       ("plover", lambda t: "cite_info" in json.loads(t.splitlines()[0])),
                       ("gdelt", lambda t: len(t.splitlines()[0].split("\t")) == 61),
                       ("csv", lambda t: t.startswith("id,article_id"))]:
        res = client.get(f"{API}/export?format={fmt}&dyad=AZE-IRN")
        assert res.status_code == 200 and check(res.text), fmt
    res = client.get(f"{API}/export?format=parquet")
    assert res.status_code == 200 and res.content[:4] == b"PAR1"


def test_code_json_and_text(client):
    res = client.post(f"{API}/code", json={"text": "Azerbaijan's minister met Iran's ambassador.", "date": "2019-07-18"})
    assert res.status_code == 200, res.text
    event = res.json()["results"][0]["events"][0]
    assert event["plover"] == "CONSULT" and event["date"] == "2019-07-18"
    res = client.post(f"{API}/code", content="Plain text story.", headers={"Content-Type": "text/plain"})
    assert res.status_code == 200 and res.json()["results"][0]["article"]["text"] == "Plain text story."
    assert_error(client.post(f"{API}/code", content=b"{not json", headers={"Content-Type": "application/json"}), "E072", 422)
    assert_error(client.post(f"{API}/code", json={"title": "no text"}), "E072", 422)
    assert_error(client.post(f"{API}/code", content=b"x", headers={"Content-Type": "image/png"}), "E078", 415)
    assert_error(client.post(f"{API}/code", json={"text": "x", "date": "July"}), "E009", 400)


def test_limits(db):
    limits = Limits(max_body_bytes=5_000, max_article_chars=1_000, coding_timeout_s=0.2)
    app = create_app(db_path=db, coder_factory=lambda: FakeCoder(delay=1.0), read_only=True, limits=limits)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.post(f"{API}/code", json={"text": "x" * 6_000}), "E070", 413)
        assert_error(c.post(f"{API}/code", json={"text": "x" * 2_000}), "E007", 413)
        def chunks():
            for _ in range(10):
                yield b"x" * 1000
        assert_error(c.post(f"{API}/code", content=chunks(), headers={"Content-Type": "text/plain"}), "E070", 413)
        assert_error(c.post(f"{API}/code", json={"text": "A short story."}), "E073", 504)
    limits = Limits(coding_timeout_s=0.2, max_concurrent_coding=1)
    app = create_app(db_path=db, coder_factory=lambda: FakeCoder(delay=0.6), read_only=True, limits=limits)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.post(f"{API}/code", json={"text": "A short story."}), "E073", 504)
        assert_error(c.post(f"{API}/code", json={"text": "Another."}), "E075", 503)  # still coding
        time.sleep(0.8)
        assert c.post(f"{API}/code", json={"text": "Later."}).status_code == 504  # slot free again


def test_ingest_token_rules(tmp_path):
    path = tmp_path / "w.duckdb"
    story = {"text": "Azerbaijan's defence minister met the Iranian ambassador in Baku.", "date": "2019-07-18"}
    # localhost without a token: allowed
    with TestClient(create_app(db_path=path, coder_factory=FakeCoder), raise_server_exceptions=False) as c:
        body = c.post(f"{API}/ingest", json=story).json()
        assert body["articles_new"] == 1 and body["events"] == 1
        assert c.post(f"{API}/ingest", json=story).json()["articles_new"] == 0  # idempotent
        assert c.get(f"{API}/articles/{body['article_ids'][0]}").status_code == 200
        assert c.get(f"{API}/events").json()["count"] == 1
    # bound to all interfaces without a token: refused
    with TestClient(create_app(db_path=path, host="0.0.0.0", coder_factory=FakeCoder), raise_server_exceptions=False) as c:
        assert_error(c.post(f"{API}/ingest", json=story), "E071", 403)
        assert c.get(f"{API}/events").status_code == 200  # reads stay open
    # with a token: only the right bearer may write
    with TestClient(create_app(db_path=path, host="0.0.0.0", token="s3cret", coder_factory=FakeCoder),
                    raise_server_exceptions=False) as c:
        err = assert_error(c.post(f"{API}/ingest", json=story), "E076", 401)
        assert "s3cret" not in err["message"]
        assert_error(c.post(f"{API}/ingest", json=story, headers={"Authorization": "Bearer nope"}), "E076", 401)
        ok = c.post(f"{API}/ingest", json={**story, "text": story["text"] + " Again."}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["articles_new"] == 1


def test_dashboard_is_served_offline(client):
    res = client.get("/")
    assert res.status_code == 200 and "text/html" in res.headers["content-type"]
    assert "script-src 'self'" in res.headers["content-security-policy"]
    html = res.text
    assert "http://" not in html and "https://" not in html  # nothing from elsewhere
    js = client.get("/static/app.js").text
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
    assert "https://" not in js.replace("http://www.w3.org/2000/svg", "")
    assert client.get("/static/style.css").status_code == 200


@pytest.mark.model
def test_code_with_the_real_coder(coder, db):
    """The real pipeline behind POST /code (one coder per app, built by the factory once)."""
    built = []

    def factory():
        built.append(1)
        return coder

    story = ("date 2019-07-18\n\nAzerbaijan's Defense Minister Colonel General Zakir Hasanov met with "
             "Javad Jahangirzadeh, Ambassador of Iran to Azerbaijan on July 18.")
    with TestClient(create_app(db_path=db, coder_factory=factory, read_only=True), raise_server_exceptions=False) as c:
        for _ in range(2):
            res = c.post(f"{API}/code", content=story, headers={"Content-Type": "text/plain; charset=utf-8"})
            assert res.status_code == 200, res.text
        events = res.json()["results"][0]["events"]
    assert built == [1]
    assert any(e["plover"] == "CONSULT" and e["actor"]["country"] == "AZE" for e in events), events
