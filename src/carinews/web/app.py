"""`carinews serve`: a read-only web server over an index, on the public library API only.

Steps, in file order:

1. `ArchiveHolder` (holder.py) opens the index once, serialises requests on it and
   caches search results until the next commit. Exports and feeds rank their
   matches under the lock (`Archive.matches`) and stream them after it is released.
2. `SafetyMiddleware` adds a Content-Security-Policy and the other protective
   headers to every response and, when the server listens on loopback only,
   refuses requests whose Host is not a loopback name (a web page elsewhere cannot
   reach the server through DNS rebinding).
3. The HTML pages: `/` (front page, or the results of `?q=`), `/articles/{id}`.
4. Exports and the feed: `/export.csv`, `/export.jsonl`, `/feed.atom`.
5. The JSON API (`/api/...`, described at `/openapi.json`): the CLI's JSON.
6. Errors: the user's query or parameters give a 4xx page or JSON object with
   the reason, never a traceback.

Every bound is a constant below: page size, depth of paging, export and feed size.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from carinews.errors import CarinewsError, IndexNotFoundError
from carinews.query.syntax import MAX_QUERY_CHARS
from carinews.results.render import to_json
from carinews.web import chart, exports, refine, views
from carinews.web.holder import CACHE_ENTRIES, ArchiveHolder, ResultCache
from carinews.web.i18n import MESSAGES, choose_language, format_count

HERE = Path(__file__).parent
PER_PAGE = 10
MAX_PER_PAGE = 50
MAX_RESULTS = 1000          # the deepest hit a results page or the API reaches
EXPORT_MAX = 10_000         # articles in one CSV or JSONL export
FEED_ENTRIES = 50
MAX_DATE_CHARS = 80
FACET_VALUES = 12

PAGE_SORTS = {"relevance": "relevance", "newest": "-date", "oldest": "date"}
LIBRARY_SORTS = ("relevance", "date", "-date")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}

Lang = Literal["id", "en"]
# Functions, not shared objects: FastAPI keeps per-parameter state in a Query.
def query_param():
    return Query("", max_length=MAX_QUERY_CHARS, description="The query, in carinews' query language.")


def required_query():
    return Query(..., min_length=1, max_length=MAX_QUERY_CHARS,
                 description="The query, in carinews' query language.")


def date_param():
    return Query(None, max_length=MAX_DATE_CHARS, description="A date (WIB), e.g. 2022-03 or 15/3/2022.")


# -- 2. safety ------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def _host_name(header: str) -> str:
    if header.startswith("["):
        return header[:header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SafetyMiddleware:
    """Protective headers on every response; loopback Host names only when `loopback_only`."""

    def __init__(self, app, loopback_only: bool):
        self.app = app
        self.loopback_only = loopback_only

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.loopback_only:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if not is_loopback(_host_name(host.lower())):
                response = Response("This server answers only on loopback addresses.\n",
                                    status_code=400, media_type="text/plain")
                return await response(scope, receive, _with_headers(send))
        await self.app(scope, receive, _with_headers(send))


def _with_headers(send):
    async def sending(message):
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                headers[name] = value
        await send(message)
    return sending


# -- the app -------------------------------------------------------------------------

def create_app(index: str | Path, *, loopback_only: bool = True,
               cache_size: int = CACHE_ENTRIES) -> FastAPI:
    """The web app over the index folder `index` (opened at the first request), keeping
    up to `cache_size` search results between commits."""
    holder = ArchiveHolder(index, cache_size)

    @asynccontextmanager
    async def lifespan(app):
        yield
        holder.close()

    app = FastAPI(title="carinews", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Read-only search over a carinews index of Indonesian news. "
                              "The JSON is the CLI's (`carinews search --json`).")
    app.state.holder = holder
    app.add_middleware(SafetyMiddleware, loopback_only=loopback_only)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html", "svg"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    page = _PageRenderer(env)
    _add_pages(app, holder, page, ResultCache(cache_size))
    _add_exports(app, holder)
    _add_api(app, holder)
    _add_error_handlers(app, page)
    return app


class _PageRenderer:
    def __init__(self, env: Environment):
        self.env = env

    def __call__(self, request: Request, name: str, lang: str, status: int = 200,
                 **context) -> HTMLResponse:
        words = MESSAGES[lang]
        other = "en" if lang == "id" else "id"
        switch = request.url.include_query_params(lang=other)
        html = self.env.get_template(name).render(
            t=words, lang=lang, switch_url=f"{switch.path}?{switch.query}", **context)
        return self.response(html, lang, status)

    @staticmethod
    def response(html: str | bytes, lang: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(html, status_code=status,
                            headers={"Content-Language": lang, "Vary": "Accept-Language"})

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        lang = _language(request)
        return self(request, "error.html", lang, status=status, message=message, query="",
                    state=_state(lang=request.query_params.get("lang")))


def _language(request: Request, override: str | None = None) -> str:
    return choose_language(request.headers.get("accept-language"),
                           override or request.query_params.get("lang"))


def _state(sort: str = "relevance", per_page: int = PER_PAGE, interval: str | None = None,
           explain: bool = False, lang: str | None = None) -> dict:
    """The parameters besides `q` and `page` that links keep (defaults left out)."""
    return {"sort": None if sort == "relevance" else sort,
            "n": None if per_page == PER_PAGE else per_page,
            "interval": interval, "explain": 1 if explain else None, "lang": lang}


# -- 3. pages --------------------------------------------------------------------------

def _add_pages(app: FastAPI, holder: ArchiveHolder, page: _PageRenderer,
               rendered: ResultCache) -> None:
    """The HTML pages; a results page already rendered for the same URL, language and
    committed state is sent again as it was."""
    @app.get("/", response_class=HTMLResponse, summary="Search page (HTML)")
    def search_page(request: Request, q: str = query_param(),
                    page_number: int = Query(1, alias="page", ge=1, le=MAX_RESULTS),
                    n: int = Query(PER_PAGE, ge=1, le=MAX_PER_PAGE),
                    sort: Literal["relevance", "newest", "oldest"] = "relevance",
                    since: str | None = date_param(), until: str | None = date_param(),
                    interval: Literal["day", "week", "month", "year"] | None = None,
                    explain: bool = False, lang: Lang | None = None):
        language = _language(request, lang)
        state = _state(sort, n, interval, explain, lang)
        window = refine.range_clause(since, until)
        if window is not None:      # the date inputs become words in the query box
            return RedirectResponse(views.search_url(refine.with_dates(q, window), **state),
                                    status_code=303)
        if not q.strip():
            return _front_page(request, holder, page, language, state)
        key = (holder.version(), str(request.url.query), language)
        html = rendered.get(key)
        if html is not None:
            return page.response(html, language)
        words = MESSAGES[language]
        offset = (page_number - 1) * n
        if offset + n > MAX_RESULTS:
            return page(request, "search.html", language, status=400, query=q, state=state,
                        error=words["too_deep"].format(max=MAX_RESULTS), sort=sort)
        try:
            result = holder.search(q, limit=n, offset=offset, sort=PAGE_SORTS[sort],
                                   facets=True, date_facet="day", explain=explain)
        except IndexNotFoundError:
            raise
        except CarinewsError as exc:
            return page(request, "search.html", language, status=400, query=q, state=state, sort=sort,
                        error=words["bad_query"].format(message=views.safe_text(str(exc))))
        response = page(request, "search.html", language, query=q, state=state, sort=sort,
                        **_results_context(result, q, state, language, page_number, n, offset,
                                           interval))
        rendered.put(key, response.body)
        return response

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse,
             summary="Article page (HTML)")
    def article_page(request: Request, article_id: str, q: str = query_param(),
                     lang: Lang | None = None):
        language = _language(request, lang)
        state = _state(lang=lang)
        with holder.use() as archive:
            article = archive.get(article_id)
            if article is None:
                return page.error(request, 404, MESSAGES[language]["not_found"])
            try:
                title_spans, body_spans = archive.highlight(article, q) if q.strip() else ([], [])
            except CarinewsError:
                title_spans, body_spans = [], []
            copies = archive.copies(article)
            related = archive.related(article.id)
        known = {c.id for c in copies}
        copies += [views.CopyLink(c["id"], c["source"], c["title"]) for c in related.copies
                   if c["id"] not in known and c["id"] != article.id]
        return page(request, "article.html", language, query=q, state=state,
                    back=views.search_url(q, lang=lang) if q.strip() else None,
                    title=views.marked(article.title, title_spans),
                    paragraphs=views.body_paragraphs(article.body, body_spans),
                    match_count=len(body_spans) + len(title_spans),
                    source=views.safe_text(article.source),
                    date=views.date_label(article.date, article.date_inferred, language),
                    original=views.http_url(article.url), url_text=views.safe_text(article.url),
                    rows=views.metadata_rows(article, language),
                    copies=[views.Link(views.safe_text(c.source or c.id),
                                       views.article_url(c.id, q, lang),
                                       title=views.safe_text(c.title)) for c in copies],
                    related=[views.related_view(h, q, lang) for h in related.hits])


def _front_page(request: Request, holder: ArchiveHolder, page: _PageRenderer, lang: str,
                state: dict):
    with holder.use() as archive:
        stats = archive.stats()
    words = MESSAGES[lang]
    first, last = stats["first_month"], stats["last_month"]
    summary = words["stats"].format(articles=format_count(stats["articles"], lang),
                                    sources=format_count(len(stats["sources"]), lang),
                                    first=first or "–", last=last or "–")
    return page(request, "search.html", lang, query="", state=state, sort="relevance", front=True,
                summary=summary)


def _results_context(result, q: str, state: dict, lang: str, page_number: int, per_page: int,
                     offset: int, interval: str | None) -> dict:
    words = MESSAGES[lang]
    relaxed_note = "no article has all the words; showing articles with any of them"
    facets = result.facets or {}
    days = facets.get("days", [])
    chosen = chart.choose_interval(days, interval)
    bars, axis = chart.layout(chosen, chart.aggregate(chosen, days))
    bar_state = {k: v for k, v in state.items()}
    label = (lambda b: words["chart_bar"].format(label=b.label, count=format_count(b.count, lang)))
    chart_bars = [{"bar": b, "href": views.search_url(refine.with_dates(q, b.clause), **bar_state),
                   "title": label(b)} for b in bars]
    intervals = [(name, words[f"interval_{name}"], name == chosen,
                  views.search_url(q, **{**state, "interval": name})) for name in chart.INTERVALS]
    export_params = {"sort": state["sort"] or "relevance"}
    return {
        "hits": [views.hit_view(h, q, state, lang) for h in result.hits],
        "total": result.total,
        "total_text": format_count(result.total, lang),
        "start": offset + 1, "end": offset + len(result.hits),
        "took": round(result.took_ms),
        "relaxed": result.relaxed,
        "suggestion": ({"text": result.suggestion.query,
                        "href": views.search_url(result.suggestion.query, **state)}
                       if result.suggestion else None),
        "notes": [views.safe_text(n) for n in result.notes if n != relaxed_note],
        "explanation": views.safe_text(result.explanation) if result.explanation else None,
        "sources": views.facet_links(q, "sumber", facets.get("sources", []), state, FACET_VALUES),
        "sections": views.facet_links(q, "rubrik", facets.get("sections", []), state, FACET_VALUES),
        "names": views.facet_links(q, "nama", facets.get("names", []), state, FACET_VALUES),
        "chart": {"bars": chart_bars, "axis": axis, "width": chart.WIDTH, "height": chart.HEIGHT,
                  "baseline": chart.HEIGHT - chart.AXIS, "intervals": intervals},
        "pages": views.pages_view(page_number, per_page, result.total, MAX_RESULTS, q, state),
        "export_csv": _export_url("/export.csv", q, export_params),
        "export_jsonl": _export_url("/export.jsonl", q, export_params),
        "feed": _export_url("/feed.atom", q, {}),
        "export_max": format_count(EXPORT_MAX, lang),
    }


def _export_url(path: str, q: str, params: dict) -> str:
    return views.search_url(q, **params).replace("/?", path + "?", 1)


# -- 4. exports and the feed ------------------------------------------------------------------

def _add_exports(app: FastAPI, holder: ArchiveHolder) -> None:
    def matches(q, sort, since, until, limit):
        with holder.use() as archive:
            return archive.matches(q, sort=PAGE_SORTS[sort], since=since, until=until, limit=limit)

    def download(found, chunks, media_type: str, filename: str) -> StreamingResponse:
        return StreamingResponse(chunks, media_type=media_type, headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Carinews-Total": str(found.total),
            "X-Carinews-Exported": str(min(found.total, EXPORT_MAX))})

    @app.get("/export.csv", summary="All matches as CSV (UTF-8 with BOM)",
             response_class=StreamingResponse)
    def export_csv(q: str = required_query(), sort: Literal["relevance", "newest", "oldest"] = "newest",
                   since: str | None = date_param(), until: str | None = date_param()):
        found = matches(q, sort, since, until, EXPORT_MAX)
        return download(found, exports.csv_chunks(found), "text/csv; charset=utf-8",
                        exports.export_filename(q, "csv"))

    @app.get("/export.jsonl", summary="All matches as JSON lines", response_class=StreamingResponse)
    def export_jsonl(q: str = required_query(),
                     sort: Literal["relevance", "newest", "oldest"] = "newest",
                     since: str | None = date_param(), until: str | None = date_param()):
        found = matches(q, sort, since, until, EXPORT_MAX)
        return download(found, exports.jsonl_chunks(found), "application/x-ndjson",
                        exports.export_filename(q, "jsonl"))

    @app.get("/feed.atom", summary="Atom feed of the newest matches", response_class=Response)
    def feed(request: Request, q: str = required_query(), lang: Lang | None = None):
        language = _language(request, lang)
        articles = list(matches(q, "newest", None, None, FEED_ENTRIES))
        base = str(request.base_url).rstrip("/")
        body = "".join(exports.atom_feed(
            articles, query=q, lang=language, base=base, title=f"carinews: {q}",
            feed_url=base + _export_url("/feed.atom", q, {}),
            page_url=base + views.search_url(q, sort="newest")))
        return Response(body, media_type="application/atom+xml; charset=utf-8")


# -- 5. the JSON API ----------------------------------------------------------------------

def _json(data, status: int = 200) -> Response:
    return Response(to_json(data), status_code=status, media_type="application/json")


def _add_api(app: FastAPI, holder: ArchiveHolder) -> None:
    @app.get("/api/search", summary="Search (the JSON of `carinews search --json`)",
             response_class=Response)
    def api_search(q: str = required_query(), limit: int = Query(10, ge=1, le=100),
                   offset: int = Query(0, ge=0, le=MAX_RESULTS - 1),
                   sort: Literal["relevance", "date", "-date"] = "relevance",
                   since: str | None = date_param(), until: str | None = date_param(),
                   facets: bool = False, date_facet: Literal["day", "week"] | None = None,
                   collapse: bool = True, explain: bool = False, strict: bool = False,
                   aliases: bool = True):
        if offset + limit > MAX_RESULTS:
            return _json({"error": f"offset + limit must be at most {MAX_RESULTS}"}, 400)
        result = holder.search(q, limit=limit, offset=offset, sort=sort, since=since,
                               until=until, facets=facets or date_facet is not None,
                               date_facet=date_facet, collapse=collapse, explain=explain,
                               strict=strict, aliases=aliases)
        return _json({**result.to_dict(), "offset": offset, "limit": limit})

    @app.get("/api/articles/{article_id:path}", summary="One stored article (`carinews show --json`)",
             response_class=Response)
    def api_article(article_id: str):
        with holder.use() as archive:
            article = archive.get(article_id)
        if article is None:
            return _json({"error": f"no article with id {article_id!r}"}, 404)
        return _json(article.to_dict())

    @app.get("/api/stats", summary="Index statistics (`carinews stats --json`)",
             response_class=Response)
    def api_stats():
        with holder.use() as archive:
            return _json(archive.stats())

    @app.get("/api/names", summary="Names most frequent in the matches (`carinews names --json`)",
             response_class=Response)
    def api_names(q: str = required_query(), limit: int = Query(20, ge=1, le=1000)):
        with holder.use() as archive:
            names = archive.names(q, limit=limit)
        return _json({"query": q, "names": names})


# -- 6. errors ----------------------------------------------------------------------------

def _add_error_handlers(app: FastAPI, page: _PageRenderer) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path.startswith(("/export", "/feed"))

    @app.exception_handler(CarinewsError)
    def library_error(request: Request, exc: CarinewsError):
        status = 503 if isinstance(exc, IndexNotFoundError) else 400
        message = views.safe_text(str(exc))
        if wants_json(request):
            return _json({"error": message, **_error_data(exc)}, status)
        return page.error(request, status, message)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError):
        problems = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]),
                     "problem": e.get("msg", "")} for e in exc.errors()]
        if wants_json(request):
            return _json({"error": "invalid request", "problems": problems}, 422)
        words = MESSAGES[_language(request)]
        detail = "; ".join(f"{p['parameter']}: {p['problem']}" for p in problems)
        return page.error(request, 400, f"{words['bad_request']} {detail}")

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        if wants_json(request):
            return _json({"error": str(exc.detail)}, exc.status_code)
        return page.error(request, exc.status_code, str(exc.detail))


def _error_data(exc: CarinewsError) -> dict:
    position = getattr(exc, "position", None)
    return {"position": position} if isinstance(position, int) else {}


__all__ = ["create_app"]
