"""``/sparql``: the SPARQL 1.1 Protocol — queries by GET, form POST and direct POST; updates by POST."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ckg.graph import formats
from ckg.ontology.vocabulary import SD, W3C_FORMATS

from ..http.auth import CONFIG_KEY, refuse_write
from ..http.responses import problem
from ..runtime.operations import Update
from .base import BaseView, answer

blueprint = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"


def service_description(endpoint: str, updates: bool, federated: bool = False) -> str:
    """The endpoint in the SPARQL Service Description vocabulary, its result formats from the registry."""
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if updates else "sd:SPARQL11Query"
    features = "sd:UnionDefaultGraph , sd:BasicFederatedQuery" if federated else "sd:UnionDefaultGraph"
    result_formats = " , ".join(f"ns:{f.w3c}" for f in (*formats.RESULTS, *formats.GRAPH) if f.w3c)
    return f"""@prefix sd: <{SD}> .
@prefix ns: <{W3C_FORMATS}> .
[] a sd:Service ;
   sd:endpoint <{endpoint}> ;
   sd:supportedLanguage {languages} ;
   sd:resultFormat {result_formats} ;
   sd:feature {features} ;
   sd:defaultDataset [ a sd:Dataset ] .
"""


def _body_text() -> tuple[str | None, Response | None]:
    """A direct POST's body: the protocol allows UTF-8 only."""
    charset = request.mimetype_params.get("charset", "utf-8").lower().replace("_", "-")
    if charset not in ("utf-8", "utf8"):
        return None, problem(415, f"the body is declared as {charset}; SPARQL requests must be UTF-8")
    try:
        return request.get_data().decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, problem(400, f"the body is not valid UTF-8 (byte {error.start})")


def _one(values: list[str], name: str) -> tuple[str | None, Response | None]:
    if len(values) > 1:
        return None, problem(400, f"give exactly one '{name}' parameter, not {len(values)}")
    return (values[0] if values else None), None


class Sparql(BaseView):
    secured = False  # a browser asking /sparql with no query gets the editor, a script

    def options(self) -> Response:
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
        return response

    def get(self) -> Response:
        if "update" in request.args:
            writable = bool(current_app.config.get(CONFIG_KEY))
            return problem(405 if writable else 403,
                           "updates must be sent by POST (form field 'update' or application/sparql-update)",
                           {"Allow": "POST"} if writable else None)
        query, error = _one(request.args.getlist("query"), "query")
        if error is not None:
            return error
        if query is None:
            return self.describe_service()
        return self.run_query(query)

    def post(self) -> Response:
        if request.mimetype == QUERY_TYPE:
            query, error = _body_text()
            return error if error is not None else self.run_query(query)
        if request.mimetype == UPDATE_TYPE:
            update, error = _body_text()
            return error if error is not None else self.run_update(update)
        if request.mimetype == FORM_TYPE:
            queries, updates = request.form.getlist("query"), request.form.getlist("update")
            if queries and updates:
                return problem(400, "give either 'query' or 'update', not both")
            if updates:
                update, error = _one(updates, "update")
                return error if error is not None else self.run_update(update)
            query, error = _one(queries, "query")
            if error is not None:
                return error
            if query is None:
                return problem(400, "the request has no 'query' or 'update' parameter")
            return self.run_query(query)
        return problem(415, f"unsupported media type '{request.mimetype or 'none'}': send {QUERY_TYPE}, "
                            f"{UPDATE_TYPE} or {FORM_TYPE}")

    def describe_service(self) -> Response:
        if request.accept_mimetypes.best_match(["text/turtle", "text/html"]) == "text/html":
            return current_app.view_functions["editor.home"]()
        updates = bool(current_app.config.get(CONFIG_KEY))
        federated = bool(self.executor.allowed_services)
        return Response(service_description(request.base_url, updates, federated), mimetype="text/turtle")

    def run_query(self, query: str) -> Response:
        return answer(self.executor.run(query, request.args.getlist("default-graph-uri")
                                        + request.form.getlist("default-graph-uri"),
                                        request.args.getlist("named-graph-uri") + request.form.getlist("named-graph-uri"),
                                        list(request.accept_mimetypes), request.values.get("format"),
                                        base_iri=request.base_url))

    def run_update(self, update: str) -> Response:
        refused = refuse_write()
        if refused is not None:
            return refused
        using = request.args.getlist("using-graph-uri") + request.form.getlist("using-graph-uri")
        named = request.args.getlist("using-named-graph-uri") + request.form.getlist("using-named-graph-uri")
        return answer(self.executor.submit(Update(update, tuple(using), tuple(named), request.base_url)))


blueprint.add_url_rule("/sparql", view_func=Sparql.as_view("sparql"))
