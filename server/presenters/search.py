"""Search results in, what the page, the API and the command show out.

A hit links to where it stands: a span to its anchor in its article's reading view (the
document page gives each span's ``char=…`` fragment as an id), anything else to its own
page. Snippets are escaped first and marked after, so a document's markup stays text.
"""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup, escape

from ckg.graph.search import Hit, Result
from ckg.graph.search_index import MARKS

from ..http.iri_paths import local_path
from .facets import chosen_data, facets_data

CSV_COLUMNS = ("type", "title", "snippet", "href", "iri", "document", "date", "score")


def href_of(hit: Hit) -> str:
    if hit.type == "span" and hit.document and hit.anchor:
        return f"{local_path(hit.document)}#{hit.anchor}"
    return local_path(hit.iri)


def plain(snippet: str) -> str:
    return snippet.replace(MARKS[0], "").replace(MARKS[1], "")


def marked(snippet: str) -> Markup:
    """The snippet as HTML: its text escaped, then its matches marked."""
    return Markup(str(escape(snippet)).replace(MARKS[0], "<mark>").replace(MARKS[1], "</mark>"))


def hit_data(hit: Hit) -> dict:
    return {"type": hit.type, "title": hit.title, "snippet": plain(hit.snippet), "snippet_html": str(marked(hit.snippet)),
            "href": href_of(hit), "iri": hit.iri, "document": hit.document, "document_title": hit.document_title,
            "document_href": local_path(hit.document) if hit.document else None, "date": hit.date, "score": hit.score}


def search_link(text: str, filters: tuple[tuple[str, str], ...], limit: int, offset: int = 0) -> str:
    """The search page for these words and filters (facets in their order, then paging)."""
    arguments = [("q", text), *filters]
    if limit != 20:
        arguments.append(("limit", str(limit)))
    if offset:
        arguments.append(("offset", str(offset)))
    return "/search?" + urlencode(arguments)


def result_data(result: Result) -> dict:
    """The whole answer, as the page shows it and as JSON gives it."""
    request = result.request
    after = request.offset + len(result.hits)
    facets = facets_data(result.facets, request.filters, lambda chosen: search_link(request.text, chosen, request.limit))
    return {"query": request.text, "filters": chosen_data(request.filters),
            "total": result.total, "offset": request.offset, "limit": request.limit,
            "hits": [hit_data(hit) for hit in result.hits], "facets": facets,
            "facets_exact": result.facets_exact, "facets_counted": result.facets_counted,
            "next": search_link(request.text, request.filters, request.limit, after) if after < result.total else None,
            "previous": search_link(request.text, request.filters, request.limit,
                                    max(request.offset - request.limit, 0)) if request.offset else None}


def csv_rows(data: dict) -> list[list[str]]:
    return [list(CSV_COLUMNS)] + [["" if hit[c] is None else str(hit[c]) for c in CSV_COLUMNS] for hit in data["hits"]]


def completions_data(found: list[dict]) -> list[dict]:
    return [dict(item, href=local_path(item["iri"])) for item in found]
