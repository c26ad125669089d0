"""HTTP fuzzing of carinews serve from its own OpenAPI description: every operation,
every parameter given odd, hostile or out-of-range values (or left out), through a real
server. The only answers allowed are 200-499 (a 303 from the date inputs included):
never a 5xx, never a traceback."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from web_server import running_server, web_index

SYNTAX = ['"', "“", "(", ")", "*", "~", "~99", ":", "..", ">=", "<", "-", "+", "OR", "AND", "NOT",
          "ATAU", "tanggal:", "sumber:", "nama:", "judul:", "url:", "rubrik:", "penulis:",
          "2022-03", "15/3/2022", "Maret", "jakarta", "Kremlin", "a" * 300, "\x00", "\x1b[31m",
          "\u202e", "<script>", "%", "%zz", "\ufeff", "𝔸", "ꦲꦏ꧀", " "]
TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.lists(st.sampled_from(SYNTAX), max_size=8).map("".join),
    st.lists(st.sampled_from(SYNTAX), max_size=6).map(" ".join),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    index = web_index(tmp_path_factory.mktemp("fuzz") / "index")
    with running_server(index) as base, httpx.Client(base_url=base, timeout=60) as http:
        spec = http.get("/openapi.json").json()
        yield http, operations(spec)


def operations(spec: dict) -> list[tuple[str, list[dict]]]:
    return [(path, op.get("parameters", [])) for path, item in sorted(spec["paths"].items())
            for method, op in item.items() if method == "get"]


def schema_values(schema: dict):
    """Values the schema allows, and its edges, as strings."""
    if "anyOf" in schema:
        return st.one_of([schema_values(s) for s in schema["anyOf"] if s.get("type") != "null"])
    if "enum" in schema:
        return st.sampled_from([str(v) for v in schema["enum"]])
    if "const" in schema:
        return st.just(str(schema["const"]))
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum", -10), schema.get("maximum", 10_000)
        return st.one_of(st.integers(low, min(high, low + 20)), st.integers(low, high)).map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false", "1", "0", "yes", "ja"])
    return TEXT


def parameter_values(param: dict, data, wild: int):
    """What the schema allows (so that requests reach the search), or, `wild` times in
    ten, anything."""
    if data.draw(st.integers(0, 9)) >= wild:
        return data.draw(schema_values(param.get("schema", {})))
    return data.draw(st.one_of(TEXT, st.integers().map(str)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_input_gives_a_server_error(server, data):
    http, ops = server
    path, params = data.draw(st.sampled_from(ops))
    url, query = path, {}
    wild = data.draw(st.sampled_from([0, 0, 0, 4]))   # three requests in four are well-typed
    for param in params:
        if param["in"] == "path":
            value = parameter_values(param, data, wild)
            url = url.replace("{" + param["name"] + "}", quote(value, safe="") or "x")
        elif param["in"] == "query" and (param.get("required") or data.draw(st.booleans())):
            query[param["name"]] = parameter_values(param, data, wild)
    reply = http.get(url, params=query)
    event(f"{path} -> {reply.status_code}")      # pytest --hypothesis-show-statistics
    assert 200 <= reply.status_code < 500, (url, query, reply.status_code, reply.text[:300])
    assert "Traceback" not in reply.text


@pytest.mark.parametrize("raw", [
    "/?q=%ff%fe", "/?q=%", "/?q=a&q=b", "/?page=%00", "/api/search?q=%c3%28",
    "/articles/%ff", "/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/..%2f..%2fapp.py",
    "/export.csv?q=*", "/feed.atom?q=%22", "/?q=" + "a" * 2001,
])
def test_raw_odd_urls(server, raw):
    http, _ = server
    reply = http.get(raw)
    assert 200 <= reply.status_code < 500, (raw, reply.status_code)
    assert "Traceback" not in reply.text
