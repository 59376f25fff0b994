"""End to end: serve a small database with uvicorn on 127.0.0.1 and load the dashboard in
headless Chromium; the table, the map and the dyad chart must render, and article text with
markup must show as text."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"), reason="needs Debian's chromium"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    uvicorn = pytest.importorskip("uvicorn")
    from polybius.api import create_app
    from polybius.api.sample import sample_articles, script_article
    from polybius.store import Store

    path = tmp_path_factory.mktemp("browser") / "dash.duckdb"
    with Store(path) as store:
        store.add_batch([*sample_articles(80), script_article()])
    port = _free_port()
    config = uvicorn.Config(create_app(db_path=path, read_only=True), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _chromium(url: str, *extra: str, tmp: Path) -> str:
    binary = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           f"--user-data-dir={tmp / 'profile'}", "--virtual-time-budget=5000", "--window-size=1400,900", *extra, url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    return out.stdout


def test_dashboard_renders(server, tmp_path):
    events = _chromium(server + "/#/events", "--dump-dom", tmp=tmp_path)
    assert 'id="events-table"' in events
    assert events.count('<tr class="q') >= 20  # rows rendered from /api/v1/events
    assert 'href="/api/v1/events?limit=50"' in events  # the JSON twin

    world = _chromium(server + "/#/map", "--dump-dom", tmp=tmp_path)
    assert 'id="world-map"' in world
    assert world.count('class="marker"') >= 5 and world.count("<rect") > 1000

    dyad = _chromium(server + "/#/dyad?a=AZE&b=IRN&by=month", "--dump-dom", tmp=tmp_path)
    assert "Azerbaijan – Iran, by month, cooperation vs conflict" in dyad
    assert 'class="series-cooperation"' in dyad and 'class="series-conflict"' in dyad
    assert 'href="/api/v1/relations?a=AZE&amp;b=IRN&amp;by=month"' in dyad

    timeline = _chromium(server + "/#/timeline", "--dump-dom", tmp=tmp_path)
    assert 'id="timeline-chart"' in timeline and "<polyline" in timeline

    shot = tmp_path / "dyad.png"
    _chromium(server + "/#/dyad?a=AZE&b=IRN&by=quarter", f"--screenshot={shot}", tmp=tmp_path)
    assert shot.exists() and shot.stat().st_size > 20_000


def test_article_markup_shows_as_text(server, tmp_path):
    import httpx

    events = httpx.get(server + "/api/v1/events", params={"limit": 500}).json()["events"]
    art = next(e["article_id"] for e in events if e["date"] == "2019-07-18" and e["article"]["source"] == "Azernews")
    dom = _chromium(server + f"/#/article/{art}", "--dump-dom", tmp=tmp_path)
    assert 'id="article-text"' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text
    assert "<script>alert(1)</script>" not in dom  # never parsed as markup
    assert "<b>bold</b>" not in dom
    assert '<b class="trigger">met with</b>' in dom
    assert '<mark class="evidence"' in dom
