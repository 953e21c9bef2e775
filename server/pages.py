"""Dereferenceable IRIs and the pages people read.

Every IRI the project mints answers at its own path (see iri_paths.py) with ``200`` and
content negotiation: HTML for a browser, Turtle, N-Triples, JSON-LD, RDF/XML, TriG or
N-Quads for a machine (by ``Accept``, or a ``.ttl``/``.nt``/``.jsonld``/``.rdf``/``.trig``/
``.nq``/``.html``/``.json`` suffix), ``Vary: Accept`` always. Any other IRI in the store is
at ``/resource?iri=…``. Pages: a claim, an agent, an event, a document (annotated reading
view), any other resource, ``/contested`` (conflicting figures as charts) and
``/documents``; each also as JSON.
"""
from __future__ import annotations

import dataclasses
import json
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from ckg.graph import formats
from ckg.ontology.vocabulary import ID_BASE, SD, VOID, XSD, with_prefixes

from . import page_views as views
from .descriptions import RDF_TYPE, Description, QueryFailed, Term, describe, select, serialize
from .iri_paths import data_path, iris_for_path, local_path, named_node, split_suffix
from .negotiation import NotAcceptable, for_listing, negotiate
from .responses import problem

blueprint = Blueprint("pages", __name__, template_folder="templates", static_folder="static_pages",
                      static_url_path="/assets/pages")

HTML = "text/html"
JSON = "application/json"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
SD_NAMED_GRAPH = SD.NamedGraph
VOID_TRIPLES = VOID.triples


@blueprint.app_template_filter("when")
def when(value: str | None) -> str:
    """'2026-02-26T19:00:00Z' → '2026-02-26 19:00 UTC'; unknown → '?'."""
    if not value:
        return "?"
    day, _, clock = value.partition("T")
    if not clock:
        return day
    utc = clock.endswith("Z") or clock.endswith("+00:00")
    return f"{day} {clock[:5]}" + (" UTC" if utc else "")


def web_address(value: str | None) -> str | None:
    """A document's own URL, only when it is http(s): data from articles never becomes a script link."""
    return value if value and urlsplit(value).scheme in ("http", "https") else None


@blueprint.after_request
def security_headers(response: Response) -> Response:
    if response.mimetype == HTML:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
    response.vary.add("Accept")
    return response


def executor():
    return current_app.extensions["ckg.executor"]


@blueprint.get("/resource")
def resource():
    iri = request.args.get("iri", "").strip()
    if not iri:
        return problem(400, f"give the IRI to describe: /resource?iri={ID_BASE}…")
    try:
        named_node(iri)
    except ValueError as error:
        return problem(400, str(error))
    return represent([(iri, None)], request.args.get("format"))


@blueprint.get("/<path:path>")
def dereference(path: str):
    stem, suffix = split_suffix(path)
    attempts = [(iri, suffix) for iri in iris_for_path(stem)] if suffix else []
    attempts += [(iri, None) for iri in iris_for_path(path)]
    if not attempts:
        return not_found(None, "there is no page at this address")
    return represent(attempts, request.args.get("format"))


def represent(attempts: list[tuple[str, str | None]], fmt_param: str | None):
    """The first IRI the store knows, in the representation asked for (``format=``, the suffix, ``Accept``)."""
    try:
        description, fmt_name = None, fmt_param
        for iri, suffix in attempts:
            try:
                named_node(iri)
            except ValueError:
                continue  # a path with characters no IRI may hold: nothing in the store can have it
            found = describe(executor(), iri)
            if found.exists or graph_size(iri):
                description, fmt_name = found, fmt_param or suffix
                break
        try:
            target = negotiate(formats.PAGE, request.accept_mimetypes, fmt_name)
        except NotAcceptable as error:
            return problem(406, str(error))
        if description is None:
            return not_found(attempts[0][0], "the store has nothing about this IRI", target)
        if target is formats.HTML:
            return render_template(f"pages/{template_for(description)}.html", page=page_data(description), **chrome())
        if target is formats.JSON:
            return Response(json.dumps(page_data(description), default=_plain, ensure_ascii=False, indent=1),
                            mimetype=JSON)
        add_parts(description)
        add_graph_facts(description)
        return Response(serialize(description, target), content_type=f"{target.media_type}; charset=utf-8",
                        headers={"Link": link_header(description.iri)})
    except QueryFailed as error:
        return problem(error.status, str(error))


def graph_size(iri: str) -> int:
    rows = select(executor(), "graph", ox.NamedNode(iri))
    return int(rows[0]["triples"].value) if rows and "triples" in rows[0] else 0


def add_parts(description: Description) -> None:
    """A document's RDF also describes its text spans and their selectors."""
    description.quads += describe(executor(), description.iri, "parts").quads


def add_graph_facts(description: Description) -> None:
    """A named graph's IRI also says that it is one, and how many triples it holds."""
    size = graph_size(description.iri)
    if size:
        this, default = Term("uri", description.iri), Term("default", "")
        description.quads += [
            (this, Term("uri", RDF_TYPE), Term("uri", SD_NAMED_GRAPH), default),
            (this, Term("uri", VOID_TRIPLES), Term("literal", str(size), XSD.integer),
             default)]


def link_header(iri: str) -> str:
    path = data_path(iri)
    sep = "&" if "?" in path else "?"
    return ", ".join(f'<{path}{sep}format={f.name}>; rel="alternate"; type="{f.media_type}"'
                     for f in formats.named("html", "trig", "nq"))


def template_for(description: Description) -> str:
    """A statement is an event too: it has the event's page."""
    kind = views.page_kind(set(description.types())) if description.exists else "resource"
    return "event" if kind == "statement" else kind


def chrome() -> dict:
    return {"search_query": views.editor_link(SEARCH_QUERY)}


SEARCH_QUERY = with_prefixes("""SELECT ?resource ?label WHERE {
  ?resource rdfs:label ?label . FILTER (CONTAINS(LCASE(STR(?label)), "type a name here"))
} LIMIT 100""")


def page_data(description: Description) -> dict:
    """Everything one page shows, per kind of resource."""
    page = views.resource_view(description)
    kind = page["kind"]
    run = executor()
    iri = description.iri
    page["graph_triples"] = graph_size(iri)
    if page["graph_triples"]:
        page["graph_download"] = "/store?graph=" + quote(iri, safe="")
    if kind == "claim":
        page["claim"] = claim_page(description)
    elif kind == "agent":
        page["agent"] = views.agent_sections(select(run, "agent", ox.NamedNode(iri)), description.labels)
    elif kind in ("event", "statement"):
        claims = views.event_claims(select(run, "event", ox.NamedNode(iri)), description.labels)
        page["event"] = {"time": views.time_bounds(description, iri), "claims": claims,
                         "facts": views.event_facts(description, claims), "evidence": evidence_of(iri)}
        if kind == "statement":
            page["statement"] = views.statement_facts(description)
            page["statement"]["claims"] = [views.link(c.value, description.labels)
                                           for c in description.inc.get(iri, {}).get(views.CKG + "assertedIn", [])]
    elif kind == "variable":
        page["charts"] = views.contested_charts(select(run, "contested", ox.NamedNode(iri), variable="variable"))
    elif kind == "document":
        rows = select(run, "text", ox.NamedNode(iri))
        text = rows[0]["text"].value if rows else ""
        page["document"] = {"segments": views.reading_view(text, select(run, "spans", ox.NamedNode(iri))),
                            "published": rows[0]["published"].value if rows and "published" in rows[0] else None,
                            "url": web_address(rows[0]["url"].value) if rows and "url" in rows[0] else None}
    return page


def evidence_of(iri: str, figure: str | None = None) -> list[dict]:
    rows = select(executor(), "evidence", ox.NamedNode(iri))
    texts = {}
    for document in {row["document"].value for row in rows}:
        found = select(executor(), "text", ox.NamedNode(document))
        if found:
            texts[document] = found[0]["text"].value
    return views.evidence(rows, texts, figure)


def claim_card(iri: str) -> dict:
    """Another claim, shown beside this one: its own description and evidence."""
    card = views.claim_summary(describe(executor(), iri, "outgoing"), iri)
    card["evidence"] = evidence_of(iri, card["stated"])
    return card


def claim_page(description: Description) -> dict:
    run = executor()
    iri = description.iri
    statement = description.value(views.CKG + "assertedIn")
    statement_description = describe(run, statement.value, "outgoing") if statement else None
    this = views.claim_summary(description, iri)
    this["evidence"] = evidence_of(iri, this["stated"])
    document = description.value(views.CKG + "reportedIn")
    related = [{"relation": relation, "claim": claim_card(other.value)}
               for relation in ("contradicts", "corroborates", "denies")
               for other in description.values(views.CKG + relation)]
    related += [{"relation": "denied by", "claim": claim_card(other.value)}
                for other in description.inc.get(iri, {}).get(views.CKG + "denies", [])]
    attribution = description.value(views.CKG + "attributionType")
    published = select(run, "text", ox.NamedNode(document.value)) if document else []
    return {"this": this, "statement": views.statement_facts(statement_description),
            "published": published[0]["published"].value if published and "published" in published[0] else None,
            "capacity": views.label_of(attribution.value, description.labels) if attribution else None,
            "document": views.link(document.value, description.labels) if document else None,
            "related": related}


def not_found(iri: str | None, reason: str, target: formats.Format = formats.HTML):
    if target not in formats.LISTING:
        return problem(404, f"{reason}: <{iri}>" if iri else reason)
    if target is formats.JSON:
        return Response(json.dumps({"error": reason, "iri": iri}), status=404, mimetype=JSON)
    describe_query = views.editor_link(f"DESCRIBE <{iri}>") if iri else None
    return render_template("pages/not_found.html", iri=iri, reason=reason, describe_query=describe_query,
                           **chrome()), 404


@blueprint.get("/contested")
@blueprint.get("/contested.<fmt>")
def contested_page(fmt: str | None = None):
    try:
        charts = views.contested_charts(select(executor(), "contested"))
    except QueryFailed as error:
        return problem(error.status, str(error))
    target = for_listing(fmt, request.accept_mimetypes)
    if target is formats.JSON:
        return Response(json.dumps([dataclasses.asdict(c) for c in charts], ensure_ascii=False, indent=1),
                        mimetype=JSON)
    if target is None:
        return problem(404, f"/contested is available as .html and .json, not .{fmt}")
    return render_template("pages/contested.html", charts=charts,
                           sparql=views.editor_link(views.query_text("contested")), **chrome())


@blueprint.get("/documents")
@blueprint.get("/documents.<fmt>")
def documents_page(fmt: str | None = None):
    try:
        rows = select(executor(), "documents")
    except QueryFailed as error:
        return problem(error.status, str(error))
    documents = [{"iri": row["document"].value, "href": local_path(row["document"].value),
                  "title": row["title"].value if "title" in row else views.fallback_label(row["document"].value),
                  "date": row["date"].value if "date" in row else None,
                  "url": web_address(row["link"].value) if "link" in row else None,
                  "claims": int(row["claims"].value)} for row in rows]
    target = for_listing(fmt, request.accept_mimetypes)
    if target is formats.JSON:
        return Response(json.dumps(documents, ensure_ascii=False, indent=1), mimetype=JSON)
    if target is None:
        return problem(404, f"/documents is available as .html and .json, not .{fmt}")
    return render_template("pages/documents.html", documents=documents,
                           sparql=views.editor_link(views.query_text("documents")), **chrome())


def _plain(value):
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
