"""The Flask application factory: one blueprint per page, each page with a JSON twin."""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup
from neo4j.exceptions import Neo4jError
from werkzeug.exceptions import HTTPException

from nichegraph import __version__
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, DatabaseUnavailable, NichegraphError, QueryTimedOut
from nichegraph.queries.library import plan_library
from nichegraph.web import assets, charts
from nichegraph.web.context import PageContext, page_cache, time_left, wants_json
from nichegraph.web.views import compare, developer, evaluation, exports, graph, home, landscape, niche, repo, trends

BLUEPRINTS = [
    home.blueprint,
    repo.blueprint,
    graph.blueprint,
    niche.blueprint,
    trends.blueprint,
    compare.blueprint,
    developer.blueprint,
    exports.blueprint,
    landscape.blueprint,
    evaluation.blueprint,
    assets.blueprint,
]


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON with <, > and & escaped, so echoed input stays inert even if some client
    ever drops a JSON twin into an HTML page."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ExplorerFlask(Flask):
    json_provider_class = HtmlSafeJSONProvider


def create_app(settings: Settings | None = None, **config: Any) -> Flask:
    """Build the explorer for the Neo4j at `settings.neo4j_uri` (read-only)."""
    app = ExplorerFlask(__name__, template_folder="templates", static_folder="static")
    app.config.update(SETTINGS=settings or Settings.from_env(), **config)
    # a page should say "Neo4j is down" within seconds, not retry for half a minute, and no
    # read may hold a worker longer than the query timeout (NICHEGRAPH_QUERY_TIMEOUT)
    settings = app.config["SETTINGS"]
    app.extensions["nichegraph_graph"] = Graph(
        settings, connection_timeout=3.0, retry_time=2.0, read_timeout=time_left(settings.query_timeout)
    )
    app.extensions["nichegraph_cache"] = page_cache(app)
    # `nichegraph serve` plans the library queries in the background (plan_queries)
    app.extensions["nichegraph_plans"] = "not requested"
    app.extensions["nichegraph_warm"] = "not requested"  # web/warm.py
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    app.jinja_env.globals["url_rules"] = set(app.view_functions)
    app.jinja_env.globals.update(version=__version__, chart=charts, Markup=Markup)
    app.jinja_env.filters.update(number=charts.number, percent=charts.percent)

    @app.before_request
    def open_context() -> None:
        g.page = PageContext.from_request(app.extensions["nichegraph_graph"], app.config["SETTINGS"].query_timeout)

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        # everything the pages need is served from here: no CDN, no remote fonts
        response.headers.setdefault(
            "Content-Security-Policy",
            # Cytoscape sets inline styles on its canvas container, hence 'unsafe-inline' for styles only
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.get("/favicon.ico")
    def favicon():  # type: ignore[no-untyped-def]
        return app.send_static_file("favicon.svg"), 200, {"Content-Type": "image/svg+xml"}

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        answering = app.extensions["nichegraph_graph"].ping()
        body = {
            "ok": answering,
            "neo4j": app.config["SETTINGS"].neo4j_uri,
            "queryPlans": app.extensions["nichegraph_plans"],
            "defaultPages": app.extensions["nichegraph_warm"],
        }
        return jsonify(body), (200 if answering else 503)

    return app


def plan_queries(app: Flask) -> str:
    """Have Neo4j plan every library query, so the first views after a Neo4j restart skip
    planning; /healthz reports the state ("planning", then "ready" or why it failed)."""
    app.extensions["nichegraph_plans"] = "planning"
    started = time.monotonic()
    try:
        planned = plan_library(app.extensions["nichegraph_graph"])
    except (NichegraphError, Neo4jError) as error:
        app.extensions["nichegraph_plans"] = f"failed: {error}"
        return f"query plans not prepared: {error}"
    app.extensions["nichegraph_plans"] = "ready"
    return f"{planned} library queries planned in {time.monotonic() - started:.1f}s"


def error_response(status: int, title: str, message: str):  # type: ignore[no-untyped-def]
    if wants_json():
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


COMMAND_LINE_OPTION = re.compile(r"^--([a-z][a-z0-9-]*):")


def in_url_terms(message: str) -> str:
    """The analyses name their parameters as the command line does (`--quiet-months: ...`); a
    page's visitor sets them in the URL (`quiet_months=`), so say that name."""
    return COMMAND_LINE_OPTION.sub(lambda match: match.group(1).replace("-", "_") + ":", message, count=1)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    def bad_parameter(error: BadParameter):  # type: ignore[no-untyped-def]
        return error_response(400, "Bad request", in_url_terms(str(error)))

    @app.errorhandler(DatabaseUnavailable)
    def database_down(error: DatabaseUnavailable):  # type: ignore[no-untyped-def]
        return error_response(
            503,
            "The graph database is not answering",
            "Neo4j does not answer right now. This page will work again as soon as it is back; try again in a moment.",
        )

    @app.errorhandler(QueryTimedOut)
    def timed_out(error: QueryTimedOut):  # type: ignore[no-untyped-def]
        return error_response(
            504,
            "This took too long",
            f"This page's questions to the graph database took longer than {app.config['SETTINGS'].query_timeout:g} "
            "seconds, so they were stopped. Try a shorter window or fewer projects.",
        )

    @app.errorhandler(NichegraphError)
    def other_error(error: NichegraphError):  # type: ignore[no-untyped-def]
        return error_response(400, "Cannot answer that", in_url_terms(str(error)))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        return error_response(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unexpected error on %s", request.path)
        return error_response(500, "Something went wrong", "The error was logged on the server.")
