"""The `carinews` command: a thin shell over the library.

Each command parses its options, calls one library function and formats the
result (render.py). Errors the user caused are `CarinewsError`s, turned into a
one-line `Error: …` on stderr here, in one place. Exit codes: 0 success,
1 an error or rejected records (a refused rebuild, a dead worker), 2 usage
errors (a missing path, nothing to index) and unparseable queries, 130
interrupted (Ctrl-C, or SIGTERM during `index`).
This module never imports Whoosh, so `--help` and small searches start fast.
"""

from __future__ import annotations

import functools
import os
import signal
import sys

import click

from carinews.engines import ENGINES

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _fail(message: str, code: int = EXIT_ERROR):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handle_errors(command):
    """Map library errors to one-line messages and exit codes."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from carinews.errors import CarinewsError, DateParseError, NoInputError, QuerySyntaxError

        try:
            return command(*args, **kwargs)
        except (QuerySyntaxError, DateParseError, NoInputError) as exc:  # the user's words are off
            _fail(_one_line(str(exc)), EXIT_USAGE)
        except CarinewsError as exc:
            _fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


def index_option(command):
    return click.option(
        "--index", "index_dir", type=click.Path(file_okay=False), envvar="CARINEWS_INDEX",
        default="index", show_default=True, show_envvar=True,
        help="Index folder.")(command)


def alias_options(command):
    """--no-aliases and --aliases FILE (query/aliases.py)."""
    command = click.option(
        "--aliases", "alias_files", multiple=True, metavar="FILE",
        help="Also use this alias table (name<TAB>aliases;...<TAB>source lines); repeatable. "
             "CARINEWS_ALIASES may list more, separated by the path separator.")(command)
    return click.option(
        "--no-aliases", is_flag=True,
        help="Search only what was written: no Jokowi = Joko Widodo from the alias table.")(command)


def _use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="carinews")
def cli():
    """carinews: full-text search for Indonesian news archives."""


@cli.command("index")
@index_option
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--sample", is_flag=True, help="Also index the bundled sample archive (IndoSum).")
@click.option("--engine", type=click.Choice(list(ENGINES)), default=None, envvar="CARINEWS_ENGINE",
              show_envvar=True,
              help="Engine for a new index or a rebuild (default whoosh); recorded in the index, "
                   "which every other command then uses.")
@click.option("--url", default=None, metavar="URL",
              help="With --engine opensearch: the cluster, e.g. http://127.0.0.1:9200 (default "
                   "$CARINEWS_OPENSEARCH_URL); recorded in the index folder.")
@click.option("--index-name", default=None, metavar="NAME",
              help="With --engine opensearch: the index (an alias) on the cluster (default news).")
@click.option("--shards", type=click.IntRange(1, 1024), default=None,
              help="With --engine opensearch: primary shards of a new index (default 1).")
@click.option("--replicas", type=click.IntRange(0, 1024), default=None,
              help="With --engine opensearch: replicas of each shard of a new index (default 1).")
@click.option("--stemmer", type=click.Choice(["sastrawi", "snowball", "none"]), default=None,
              help="Stemmer for a new index (default sastrawi); fixed once the index exists.")
@click.option("--rebuild", is_flag=True,
              help="Build the index afresh; the old one stays live until the new one is complete.")
@click.option("--force", is_flag=True,
              help="With --rebuild: switch to the new index even if it holds less than half "
                   "the articles of the old one.")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=4000, show_default=True,
              help="Articles per commit.")
@click.option("--strict", is_flag=True, help="Stop at the first bad record.")
@click.option("--dry-run", is_flag=True, help="Read and report; do not touch the index.")
@click.option("--wait", type=click.FloatRange(0), default=0, metavar="SECONDS",
              help="If another process is writing the index, wait this long for it.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@handle_errors
def index_command(index_dir, paths, sample, engine, url, index_name, shards, replicas, stemmer, rebuild,
                  force, batch_size, strict, dry_run, wait, as_json):
    """Index news files: .jsonl, .json, .csv, .txt and .html pages, .warc/.arc (also .gz), folders, or - for stdin."""
    import carinews
    from carinews.errors import RebuildRefusedError
    from carinews.indexing import run_index

    from carinews.results.render import clean_for_terminal

    paths = list(paths) + (carinews.sample_paths() if sample else [])
    if not paths:
        raise click.UsageError("give at least one PATH (or --sample)")
    if force and not rebuild:
        raise click.UsageError("--force goes with --rebuild")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops as cleanly as Ctrl-C
    try:
        report = run_index(index_dir, paths, stemmer=stemmer, engine=engine, rebuild=rebuild, force=force,
                           batch_size=batch_size, strict=strict, dry_run=dry_run, wait=wait,
                           engine_options={"url": url, "index_name": index_name, "shards": shards,
                                           "replicas": replicas},
                           on_error=lambda e: click.echo(_one_line(clean_for_terminal(str(e))), err=True),
                           progress=_progress if sys.stderr.isatty() else None)
    except RebuildRefusedError as exc:     # what the dropped rebuild read, then why it was dropped
        _print_index_report(exc.report, as_json, dry_run)
        raise
    _print_index_report(report, as_json, dry_run)
    if report.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_ERROR if report.rejected else EXIT_OK)


def _one_line(text: str) -> str:
    """An error line stays one line even when a file name holds a newline."""
    return text.replace("\n", "\\n").replace("\r", "\\r")


def _progress(report):
    click.echo(f"\r{report.added + report.replaced + report.unchanged} articles…", err=True, nl=False)


def _print_index_report(report, as_json: bool, dry_run: bool):
    from carinews.results.render import to_json

    if sys.stderr.isatty():
        click.echo("", err=True)
    if as_json:
        click.echo(to_json(report.to_dict()))
        return
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if report.interrupted and report.rebuild_abandoned:
        click.echo("Interrupted: the rebuild was dropped and the previous index is unchanged "
                   "(run the same command again to rebuild).", err=True)
    elif report.interrupted and report.abandoned:
        click.echo(f"Interrupted: {report.committed_batches} batches are committed; "
                   f"{report.abandoned} articles read after them were abandoned "
                   f"(run the same command again to finish).", err=True)
    elif report.interrupted:
        click.echo(f"Interrupted after committing batch {report.committed_batches}; nothing read "
                   f"was abandoned (run the same command again to finish).", err=True)
    verb = "would add" if dry_run else "added"
    click.echo(f"{verb} {report.added}, replaced {report.replaced}, unchanged {report.unchanged}, "
               f"rejected {report.rejected}"
               + (f", warnings {report.warnings}" if report.warnings else "")
               + (f", skipped {sum(report.skipped.values())} ("
                  + ", ".join(f"{kind} {n}" for kind, n in sorted(report.skipped.items())) + ")"
                  if report.skipped else "")
               + f" in {report.seconds:.1f} s")
    for line in report.summary_lines:
        click.echo(line)


@cli.command("search")
@index_option
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--format", "fmt", type=click.Choice(["terminal", "plain", "html", "json"]),
              default=None, help="Output format (default: terminal, plain when piped).")
@click.option("--since", help="Only articles on or after this date (WIB), e.g. 2022-03 or 15/3/2022.")
@click.option("--until", help="Only articles on or before this date (WIB).")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance",
              show_default=True)
@click.option("--recent", is_flag=True, help="Prefer newer articles a little.")
@click.option("--facets", is_flag=True, help="Counts by source and month, top names.")
@click.option("--no-collapse", is_flag=True, help="Show syndicated copies separately.")
@click.option("--fragments", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Snippet fragments per hit.")
@click.option("--explain", is_flag=True, help="Show how the query was understood.")
@click.option("--strict", is_flag=True, help="Refuse queries with slips instead of fixing them.")
@alias_options
@handle_errors
def search_command(index_dir, query, limit, as_json, fmt, since, until, sort, recent, facets,
                   no_collapse, fragments, explain, strict, no_aliases, alias_files):
    """Search the index. Words match any inflected form; see README for the query language."""
    from carinews.archive import Archive
    from carinews.results.render import render_result

    fmt = "json" if as_json else fmt or ("terminal" if _use_color() else "plain")
    with Archive.open(index_dir) as archive:
        result = archive.search(" ".join(query), limit=limit, since=since, until=until, sort=sort,
                                recent=recent, facets=facets, collapse=not no_collapse,
                                fragments=fragments, strict=strict, explain=explain,
                                aliases=not no_aliases, alias_files=alias_files)
    if explain and fmt != "json":
        click.echo(result.explanation)
        click.echo("")
    click.echo(render_result(result, fmt, color=_use_color()))


@cli.command("show")
@index_option
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def show_command(index_dir, article_id, as_json):
    """Show one stored article: metadata, where its date came from, full body."""
    from carinews.archive import Archive
    from carinews.errors import ArticleNotFoundError
    from carinews.results.render import clean_for_terminal, to_json

    with Archive.open(index_dir) as archive:
        article = archive.get(article_id)
    if article is None:
        raise ArticleNotFoundError(article_id, index_dir)
    data = article.to_dict()
    if as_json:
        click.echo(to_json(data))
        return
    sources = data.get("field_sources") or {}
    for key in ("id", "title", "date", "date_source", "date_inferred", "source", "url", "author",
                "section", "dateline", "dup_key", "origin"):
        origin = sources.get(key)
        click.echo(f"{key}: {clean_for_terminal(str(data.get(key)))}"
                   + (f"  [from {clean_for_terminal(origin)}]" if origin and key != "date" else ""))
    if sources:
        click.echo("fields from: " + ", ".join(f"{k}={clean_for_terminal(v)}" for k, v in sources.items()))
    for key, value in data["extra"].items():     # the source's other fields, one line each
        text = value if isinstance(value, str) else to_json(value)
        click.echo(_one_line(clean_for_terminal(f"{key}: {text}")))
    click.echo("names: " + ", ".join(clean_for_terminal(n) for n in data.get("names", [])))
    click.echo("")
    click.echo(clean_for_terminal(data["body"]))


@cli.command("stats")
@index_option
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def stats_command(index_dir, as_json):
    """Number of articles, sources, date range, stemmer and size of the index."""
    from carinews.archive import Archive
    from carinews.results.render import clean_for_terminal, to_json

    with Archive.open(index_dir) as archive:
        stats = archive.stats()
    if as_json:
        click.echo(to_json(stats))
        return
    click.echo(f"index:     {stats['index']}")
    click.echo(f"articles:  {stats['articles']} ({stats['undated']} undated)")
    click.echo(f"dates:     {stats['first_month']} .. {stats['last_month']} (months, WIB)")
    click.echo(f"engine:    {stats['engine']}")
    click.echo(f"stemmer:   {stats['stemmer']}")
    click.echo(f"size:      {stats['size_bytes'] / 1e6:.1f} MB")
    click.echo("sources:   " + ", ".join(f"{clean_for_terminal(k)} {v}"
                                         for k, v in list(stats["sources"].items())[:15]))


@cli.command("names")
@index_option
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@alias_options
@handle_errors
def names_command(index_dir, query, limit, as_json, no_aliases, alias_files):
    """The proper names most frequent in the articles matching QUERY."""
    from carinews.archive import Archive
    from carinews.results.render import to_json

    with Archive.open(index_dir) as archive:
        names = archive.names(" ".join(query), limit=limit, aliases=not no_aliases,
                              alias_files=alias_files)
    if as_json:
        click.echo(to_json({"query": " ".join(query), "names": names}))
        return
    for name, count in names:
        click.echo(f"{count:6d}  {name}")


@cli.command("related")
@index_option
@click.argument("article_id")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def related_command(index_dir, article_id, limit, as_json):
    """Articles most like ARTICLE_ID by content, with the names and words they share;
    its near-copies are listed apart."""
    from carinews.archive import Archive
    from carinews.results.render import clean_for_terminal, to_json

    with Archive.open(index_dir) as archive:
        result = archive.related(article_id, limit=limit)
    if as_json:
        click.echo(to_json(result.to_dict()))
        return
    click.echo(clean_for_terminal(f"{result.id}  {result.title}"))
    click.echo(clean_for_terminal("by: " + ", ".join(result.names + result.words)))
    for number, hit in enumerate(result.hits, 1):
        date = hit.date.date().isoformat() if hit.date else "undated"
        click.echo(clean_for_terminal(f"{number:3d}. {hit.title}  [{hit.id}, {hit.source}, {date}]"))
        why = ", ".join(hit.shared_names + hit.shared_words)
        click.echo(clean_for_terminal(f"     shares: {why}"))
        if hit.copies:
            click.echo(clean_for_terminal("     copies: " + ", ".join(c["id"] for c in hit.copies)))
    if not result.hits:
        click.echo("no related articles")
    for copy in result.copies:
        click.echo(clean_for_terminal(f"copy: {copy['title']}  [{copy['id']}, {copy['source']}]"))


@cli.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other computers reach the server.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option("--access-log", is_flag=True, help="Print one line per request.")
@click.option("--cache", "cache_size", type=click.IntRange(0, 100_000), default=256,
              show_default=True, help="Search results kept until the next commit (0: none).")
@handle_errors
def serve_command(index_dir, host, port, access_log, cache_size):
    """Serve a read-only search page, JSON API, exports and feeds over the index."""
    from carinews.archive import Archive
    from carinews.web import is_loopback, run_server

    with Archive.open(index_dir):       # a missing or outdated index: one line, exit 1
        pass
    shown = f"[{host}]" if ":" in host else host
    reach = ("only this computer can reach it" if is_loopback(host)
             else "other computers can reach it")
    click.echo(f"carinews: serving {index_dir} at http://{shown}:{port}/ ({reach}; Ctrl-C stops)",
               err=True)
    run_server(index_dir, host=host, port=port, access_log=access_log, cache_size=cache_size)


def main():
    sys.unraisablehook = keep_interrupts
    cli(prog_name="carinews")


def keep_interrupts(unraisable) -> None:
    """A Ctrl-C that lands while Python runs a finaliser (the `__del__` of a lock Whoosh
    lets go) is printed as "Exception ignored ... Traceback" and dropped, and the command
    runs on; deliver it again instead, so it stops as for any Ctrl-C (one line, exit 130).
    Every other unraisable exception is reported as Python does."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        # From another thread, a moment later: a signal sent from here (os.kill,
        # signal.raise_signal) is handled at once, inside this hook, and dropped again.
        import threading

        threading.Timer(REDELIVER_S, os.kill, (os.getpid(), signal.SIGINT)).start()
        return
    sys.__unraisablehook__(unraisable)


REDELIVER_S = 0.01
