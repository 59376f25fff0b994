"""The HTTP API (``/api/v1``) and the dashboard (``/``): a thin layer over the library.

Every error, whatever raised it (our catalogue, FastAPI's validation, an unknown route, an
unexpected exception), leaves as one JSON shape::

    {"error": {"code": "E074", "message": "E074: Not found: article art_x", "status": 404}}

Limits are on by default (:class:`Limits`): request body size, article length, coding time,
concurrent codings, page size. Write endpoints (``/ingest``) need ``Authorization: Bearer
<token>`` whenever a token is configured, and are refused outright when the server listens
on anything but localhost without one. All SQL parameters are bound (see
:mod:`polybius.relations` and :mod:`polybius.export`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from polybius import __version__
from polybius.errors import PolybiusError, make_error
from polybius.records import RECORD_VERSION

__all__ = ["LOCALHOSTS", "Limits", "create_app", "error_status"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
LOCALHOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
API = "/api/v1"

# HTTP status per catalogue code; anything else in a range falls back by its class below.
_STATUS = {
    "E007": 413, "E060": 503, "E061": 503, "E063": 503, "E064": 503, "E065": 500, "E066": 400,
    "E068": 409, "E062": 503, "E070": 413, "E071": 403, "E072": 422, "E073": 504, "E074": 404, "E075": 503,
    "E076": 401, "E077": 500, "E078": 415, "E030": 503, "E031": 503, "E040": 503, "E041": 503,
}


def error_status(code: str) -> int:
    if code in _STATUS:
        return _STATUS[code]
    number = int(code[1:])
    return 400 if number < 20 else 500


def _error_body(code: str, message: str, status: int) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def _error_response(err: PolybiusError, status: int | None = None) -> JSONResponse:
    status = status or error_status(err.code)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(_error_body(err.code, err.message, status), status_code=status, headers=headers)


@dataclass(frozen=True, slots=True)
class Limits:
    """Request limits. Defaults suit one news article per request on a small machine."""

    max_body_bytes: int = 2_000_000
    max_article_chars: int = 200_000
    max_articles_per_request: int = 100
    coding_timeout_s: float = 60.0
    max_concurrent_coding: int = 2
    max_page: int = 500
    default_page: int = 50
    # How long a request waits for an ingest in another process to commit its batch.
    lock_wait: float = 10.0


class _BodyLimit:
    """ASGI middleware: refuse a request whose body is over the limit (E070), declared or not."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size > self.limit or size < 0:
                err = make_error("E070", size=declared.decode("latin-1"), limit=self.limit)
                await _error_response(err)(scope, receive, send)
                return
        seen = 0

        async def counting() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge(seen)
            return message

        try:
            await self.app(scope, counting, send)
        except _TooLarge as exc:
            await _error_response(make_error("E070", size=exc.size, limit=self.limit))(scope, receive, send)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


class _State:
    """What one app holds: the store (opened on first use), the coder, their locks."""

    def __init__(self, db_path: str | Path | None, coder_factory: Callable[[], Any] | None, limits: Limits,
                 read_only: bool = False) -> None:
        self.db_path = db_path
        self.read_only = read_only
        self.coder_factory = coder_factory
        self.limits = limits
        self._coder: Any = None
        self._open_lock = threading.Lock()
        self._access = _ReadersWriter()
        self._created = False
        self.coding = asyncio.Semaphore(limits.max_concurrent_coding)

    # The database is opened per request and closed after it, never held: DuckDB lets no other
    # process open a file that one process holds, and an ingest in another process must get it
    # back between its batches (it waits for readers; readers wait for its batch to commit).

    def _open(self, *, read_only: bool) -> Any:
        from polybius.store import Store

        if not self._created and not self.read_only:
            with self._open_lock:
                if not self._created:
                    Store(self.db_path).close()  # create and migrate the file once
                    self._created = True
        return Store(self.db_path, read_only=read_only, lock_wait=self.limits.lock_wait)

    def read(self, fn: Callable[[Any], Any]) -> Any:
        """``fn(cursor)`` on a read-only connection opened for this request."""
        with self._access.reading():
            store = self._open(read_only=True)
            try:
                return fn(store.con.cursor())
            finally:
                store.close()

    def write(self, fn: Callable[[Any], Any]) -> Any:
        """``fn(store)`` on a writable store; E061 while another process is ingesting."""
        if self.read_only:
            raise make_error("E072", detail="this server is read-only (--read-only)")
        with self._access.writing():
            store = self._open(read_only=False)
            try:
                return fn(store)
            finally:
                store.close()

    def coder(self) -> Any:
        if self._coder is None:
            with self._open_lock:
                if self._coder is None:
                    if self.coder_factory is not None:
                        self._coder = self.coder_factory()
                    else:
                        from polybius.pipeline import Coder

                        self._coder = Coder()
        return self._coder

    def close(self) -> None:
        """Nothing is held between requests."""


class _ReadersWriter:
    """Many reading threads or one writing thread: DuckDB refuses a read-write and a read-only
    connection to one file in the same process at the same time."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def _cursor_encode(day: str | None, event_id: str) -> str:
    raw = json.dumps([day or "", event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, event_id = json.loads(raw)
        if day:
            date.fromisoformat(day)
        if not isinstance(event_id, str):
            raise ValueError("id")
        return day or "0001-01-01", event_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as err:
        raise make_error("E066", name="after", value=cursor[:40], detail="not a cursor from 'next'") from err


def create_app(
    *,
    db_path: str | Path | None = None,
    host: str = "127.0.0.1",
    token: str | None = None,
    coder_factory: Callable[[], Any] | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
    read_only: bool = False,
) -> FastAPI:
    """The API and dashboard app. ``coder_factory`` builds the coder on first use (tests pass
    a fake); ``host`` is where the server listens, which decides whether writes need a token;
    ``read_only`` opens the database read-only (several servers may share it; /ingest fails)."""
    state = _State(db_path, coder_factory, limits, read_only)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        state.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Polybius",
        version=__version__,
        description="News stories in, political event data (CAMEO and PLOVER) out.",
        docs_url=f"{API}/docs",
        redoc_url=None,
        openapi_url=f"{API}/openapi.json",
    )
    app.state.polybius = state
    app.add_middleware(_BodyLimit, limit=limits.max_body_bytes)

    # ---------------------------------------------------------------- errors, one shape

    @app.exception_handler(PolybiusError)
    async def _polybius_error(request: Request, err: PolybiusError) -> JSONResponse:
        if error_status(err.code) >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, err)
        return _error_response(err)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
        parts = []
        for e in err.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error_response(make_error("E072", detail="; ".join(parts) or "invalid parameters"), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 404:
            return _error_response(make_error("E074", what=f"{request.url.path}"), 404)
        return _error_response(make_error("E072", detail=str(err.detail)), err.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error_response(make_error("E077", detail=type(err).__name__), 500)

    # ---------------------------------------------------------------- helpers

    def event_filter(country: str | None, dyad: str | None, type_: str | None, start: str | None,
                     end: str | None, article_id: str | None = None) -> Any:
        from polybius.export import EventFilter

        return EventFilter.build(country=country, dyad=dyad, type=type_, start=start, end=end, article_id=article_id)

    async def run_sync(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(fn, *args, **kwargs)

    async def read_articles(request: Request) -> list[Any]:
        from polybius.read import Limits as ReadLimits
        from polybius.read import article_from_record

        body = await request.body()
        if len(body) > limits.max_body_bytes:
            raise make_error("E070", size=len(body), limit=limits.max_body_bytes)
        media = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
        if media == "text/plain":
            try:
                items: list[Any] = [{"text": body.decode("utf-8")}]
            except UnicodeDecodeError as err:
                raise make_error("E072", detail="body is not UTF-8 text") from err
        elif media == "application/json":
            try:
                data = json.loads(body or b"null")
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                raise make_error("E072", detail=f"malformed JSON ({err.__class__.__name__})") from err
            if isinstance(data, dict) and isinstance(data.get("articles"), list):
                items = data["articles"]
            elif isinstance(data, dict):
                items = [data]
            elif isinstance(data, list):
                items = data
            else:
                raise make_error("E072", detail="expected an article object {text, ...} or a list of them")
        else:
            raise make_error("E078", media_type=media[:60])
        if not items:
            raise make_error("E072", detail="no article")
        if len(items) > limits.max_articles_per_request:
            raise make_error("E072", detail=f"{len(items)} articles; at most {limits.max_articles_per_request} per request")
        articles = []
        for i, item in enumerate(items):
            where = f"article {i}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise make_error("E072", detail=f"{where}: needs a 'text' string")
            if len(item["text"]) > limits.max_article_chars:
                raise make_error("E007", size=len(item["text"]), limit=limits.max_article_chars, where=where)
            read_limits = ReadLimits(max_article_chars=limits.max_article_chars)
            articles.append(article_from_record(item, origin=f"api:{where}", limits=read_limits))
        return articles

    async def code_all(articles: list[Any]) -> list[Any]:
        if state.coding.locked():
            raise make_error("E075")
        await state.coding.acquire()

        def work() -> list[Any]:
            coder = state.coder()
            return [coder.code(a) for a in articles]

        # A thread cannot be stopped: on timeout the client gets E073 at once, and the slot
        # stays taken until the work really ends, so slow inputs cannot pile up threads.
        task = asyncio.ensure_future(run_sync(work))
        task.add_done_callback(lambda _: state.coding.release())
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout=limits.coding_timeout_s)
        except TimeoutError as err:
            raise make_error("E073", seconds=limits.coding_timeout_s) from err

    def check_write(request: Request) -> None:
        if token is None:
            if host not in LOCALHOSTS:
                raise make_error("E071", host=host)
            return
        given = request.headers.get("authorization") or ""
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(value.strip().encode(), token.encode()):
            raise make_error("E076")

    def coded_json(coded: Any) -> dict[str, Any]:
        return {"article": coded.article.to_dict(), "events": [e.to_dict() for e in coded.events],
                "warnings": list(coded.warnings)}

    # ---------------------------------------------------------------- routes

    @app.get(f"{API}/health", tags=["meta"])
    async def health() -> dict[str, Any]:
        """Liveness and the size of the database."""
        from polybius.relations import fetch

        rows = await run_sync(lambda: state.read(lambda cur: fetch(cur, "SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM articles) AS articles")))
        return {"status": "ok", **rows[0]}

    @app.get(f"{API}/version", tags=["meta"])
    async def version() -> dict[str, Any]:
        return {"polybius": __version__, "api": "v1", "record_version": RECORD_VERSION}

    @app.post(f"{API}/code", tags=["coding"], openapi_extra=_ARTICLE_BODY)
    async def code(request: Request) -> dict[str, Any]:
        """Code posted article(s) and return their events; nothing is stored.

        Body: JSON ``{text, date?, id?, source?, url?, title?}`` (or ``{"articles": [...]}`` or
        a list), or ``text/plain``."""
        articles = await read_articles(request)
        coded = await code_all(articles)
        return {"results": [coded_json(c) for c in coded]}

    @app.post(f"{API}/ingest", tags=["coding"], openapi_extra=_ARTICLE_BODY)
    async def ingest(request: Request) -> dict[str, Any]:
        """Code posted article(s) and store them (idempotent). Needs the token (see above)."""
        check_write(request)
        articles = await read_articles(request)
        coded = await code_all(articles)

        def store_them() -> Any:
            return state.write(lambda store: store.add_batch(coded))

        result = await run_sync(store_them)
        return {
            "articles_new": result.articles_new, "articles_skipped": result.articles_skipped,
            "events": result.events, "article_ids": [c.article.id for c in coded],
            "links": {"articles": [f"{API}/articles/{c.article.id}" for c in coded]},
        }

    @app.get(f"{API}/events", tags=["events"])
    async def events(
        request: Request,
        country: str | None = Query(None, max_length=8, description="ISO alpha-3, either side"),
        dyad: str | None = Query(None, max_length=16, description="AZE-IRN, either direction"),
        type: str | None = Query(None, max_length=24, description="PLOVER type or CAMEO prefix"),  # noqa: A002
        from_: str | None = Query(None, alias="from", max_length=10, description="YYYY-MM-DD"),
        to: str | None = Query(None, max_length=10, description="YYYY-MM-DD"),
        article_id: str | None = Query(None, max_length=80),
        limit: int = Query(limits.default_page, ge=1, le=limits.max_page),
        after: str | None = Query(None, max_length=400, description="the 'next' cursor of the previous page"),
    ) -> dict[str, Any]:
        """Stored events, newest first, with keyset pagination (``after`` = previous ``next``)."""
        from polybius.relations import fetch

        flt = event_filter(country, dyad, type, from_, to, article_id)
        where, params = flt.sql("e")
        if after:
            day, last_id = _cursor_decode(after)
            where += " AND (coalesce(e.date, DATE '0001-01-01') < CAST(? AS DATE) OR (coalesce(e.date, DATE '0001-01-01') = CAST(? AS DATE) AND e.id > ?))"
            params += [day, day, last_id]
        sql = (f"SELECT e.record, e.cluster_id, a.source, a.title, a.url FROM events e "
               f"LEFT JOIN articles a ON a.id = e.article_id WHERE {where} "
               f"ORDER BY coalesce(e.date, DATE '0001-01-01') DESC, e.id LIMIT ?")
        rows = await run_sync(lambda: state.read(lambda cur: fetch(cur, sql, [*params, limit + 1])))
        more = len(rows) > limit
        out = []
        for row in rows[:limit]:
            rec = json.loads(row["record"]) if isinstance(row["record"], str) else row["record"]
            rec["cluster_id"] = row["cluster_id"]
            rec["article"] = {"source": row["source"], "title": row["title"], "url": row["url"]}
            out.append(rec)
        nxt = _cursor_encode(out[-1]["date"], out[-1]["id"]) if more and out else None
        query = dict(request.query_params)
        query.pop("after", None)
        next_link = None
        if nxt:
            from urllib.parse import urlencode

            next_link = f"{API}/events?" + urlencode({**query, "after": nxt})
        return {"events": out, "count": len(out), "next": nxt, "links": {"next": next_link}}

    @app.get(f"{API}/articles/{{article_id}}", tags=["events"])
    async def article(article_id: str) -> dict[str, Any]:
        """An article with its events and, per event, the evidence sentence and trigger spans."""
        if len(article_id) > 80:
            raise make_error("E074", what=f"article {article_id[:80]}")

        def load(cur: Any) -> tuple[Any, list[dict[str, Any]]]:
            from polybius.relations import fetch

            art = fetch(cur, "SELECT id, source_id, source, url, title, author, published, dateline_place, "
                             "language, text, near_dup_of, ingested_at FROM articles WHERE id = ?", [article_id])
            evs = fetch(cur, "SELECT record, cluster_id FROM events WHERE article_id = ? "
                             "ORDER BY sentence_index, trigger_start, id", [article_id])
            return (art[0] if art else None), evs

        art, evs = await run_sync(lambda: state.read(load))
        if art is None:
            raise make_error("E074", what=f"article {article_id}")
        for key in ("published", "ingested_at"):
            if art.get(key) is not None:
                art[key] = art[key].isoformat()
        records = []
        spans = []
        for row in evs:
            rec = json.loads(row["record"]) if isinstance(row["record"], str) else row["record"]
            rec["cluster_id"] = row["cluster_id"]
            records.append(rec)
            ev = rec["evidence"]
            spans.append({"event_id": rec["id"], "sentence": [ev["start"], ev["end"]],
                          "trigger": [ev.get("trigger_start", -1), ev.get("trigger_end", -1)]})
        return {"article": art, "events": records, "spans": spans}

    @app.get(f"{API}/relations", tags=["relations"])
    async def relations_route(
        a: str = Query(..., max_length=64, description="country (AZE, Azerbaijan) or actor code (AZEMIL)"),
        b: str = Query(..., max_length=64),
        by: str = Query("month", max_length=10, description="day|week|month|quarter|year"),
        from_: str | None = Query(None, alias="from", max_length=10),
        to: str | None = Query(None, max_length=10),
    ) -> dict[str, Any]:
        """The dyad A-B over time: cooperation vs conflict, both directions and each one."""
        from polybius.relations import relations

        result = await run_sync(lambda: state.read(lambda cur: relations(cur, a, b, by=by, start=from_, end=to)))
        return result.to_dict()

    @app.get(f"{API}/top", tags=["relations"])
    async def top_route(
        by: str = Query("dyad", max_length=10, description="dyad|actor|country|type"),
        from_: str | None = Query(None, alias="from", max_length=10),
        to: str | None = Query(None, max_length=10),
        limit: int = Query(10, ge=1, le=1000),
    ) -> dict[str, Any]:
        from polybius.relations import top

        rows = await run_sync(lambda: state.read(lambda cur: top(cur, by=by, start=from_, end=to, limit=limit)))
        return {"by": by, "rows": rows}

    @app.get(f"{API}/timeline", tags=["relations"])
    async def timeline_route(
        by: str = Query("month", max_length=10),
        country: str | None = Query(None, max_length=8),
        dyad: str | None = Query(None, max_length=16),
        type: str | None = Query(None, max_length=24),  # noqa: A002
        from_: str | None = Query(None, alias="from", max_length=10),
        to: str | None = Query(None, max_length=10),
    ) -> dict[str, Any]:
        """Cooperation vs conflict over time across all selected events."""
        from polybius.relations import timeline

        flt = event_filter(country, dyad, type, from_, to)
        rows = await run_sync(lambda: state.read(lambda cur: timeline(cur, flt, by=by)))
        return {"by": by, "series": rows}

    @app.get(f"{API}/places", tags=["relations"])
    async def places_route(
        country: str | None = Query(None, max_length=8),
        dyad: str | None = Query(None, max_length=16),
        type: str | None = Query(None, max_length=24),  # noqa: A002
        from_: str | None = Query(None, alias="from", max_length=10),
        to: str | None = Query(None, max_length=10),
        limit: int = Query(2000, ge=1, le=10000),
    ) -> dict[str, Any]:
        """Where the selected events happened, for the map."""
        from polybius.relations import places

        flt = event_filter(country, dyad, type, from_, to)
        rows = await run_sync(lambda: state.read(lambda cur: places(cur, flt, limit=limit)))
        return {"places": rows}

    @app.get(f"{API}/map/land", tags=["meta"])
    async def land() -> Response:
        """The coarse land grid the dashboard draws its map from (built at run time)."""
        from polybius.api.landmask import land_cells

        data = await run_sync(land_cells)
        return JSONResponse(data, headers={"Cache-Control": "public, max-age=86400"})

    @app.get(f"{API}/export", tags=["events"])
    async def export_route(
        format: str = Query("jsonl", max_length=10, description="jsonl|plover|gdelt|csv|parquet"),  # noqa: A002
        country: str | None = Query(None, max_length=8),
        dyad: str | None = Query(None, max_length=16),
        type: str | None = Query(None, max_length=24),  # noqa: A002
        from_: str | None = Query(None, alias="from", max_length=10),
        to: str | None = Query(None, max_length=10),
    ) -> Response:
        """The selected events as a file in one of the export formats (docs/EXPORT_FORMATS.md)."""
        from polybius.export import FORMATS, export, render

        if format not in FORMATS:
            raise make_error("E066", name="format", value=format, detail="expected " + "|".join(FORMATS))
        flt = event_filter(country, dyad, type, from_, to)
        names = {"jsonl": "events.jsonl", "plover": "events.plover.jsonl", "gdelt": "events.gdelt.tsv",
                 "csv": "events.csv", "parquet": "events.parquet"}
        disposition = {"Content-Disposition": f'attachment; filename="{names[format]}"'}
        if format == "parquet":
            import tempfile

            tmp = Path(tempfile.mkdtemp(prefix="polybius-export-")) / "events.parquet"
            await run_sync(lambda: state.read(lambda cur: export(cur, tmp, fmt="parquet", flt=flt, force=True)))
            from starlette.background import BackgroundTask

            def cleanup() -> None:
                tmp.unlink(missing_ok=True)
                tmp.parent.rmdir()

            return FileResponse(tmp, media_type="application/vnd.apache.parquet", headers=disposition,
                                background=BackgroundTask(cleanup))
        lines = await run_sync(lambda: state.read(lambda cur: list(render(cur, format, flt))))
        media = {"jsonl": "application/x-ndjson", "plover": "application/x-ndjson",
                 "gdelt": "text/tab-separated-values", "csv": "text/csv"}[format]
        return StreamingResponse(iter([line.encode("utf-8") for line in lines]),
                                 media_type=f"{media}; charset=utf-8", headers=disposition)

    # ---------------------------------------------------------------- dashboard

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": _CSP})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.url.path.startswith("/static") or request.url.path == "/":
            response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    return app


# The dashboard loads only its own files: no inline script, nothing from elsewhere.
_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"

_ARTICLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {"text": {"type": "string"}, "date": {"type": "string", "format": "date"},
                               "id": {"type": "string"}, "source": {"type": "string"},
                               "url": {"type": "string"}, "title": {"type": "string"}},
            }},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}
