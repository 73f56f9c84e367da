"""/openapi.json (the OpenAPI 3 document, kept as data in api/data/openapi.yaml) and /docs, a
documentation page rendered on the server from that document: no script, no CDN, works offline."""

from __future__ import annotations

import functools
import html
import json
from importlib import resources

import yaml
from flask import Blueprint, Response, jsonify

from trialmatch.errors import RuleFileError

bp = Blueprint("docs", __name__)
METHODS = ("get", "post", "put", "delete")


@functools.cache
def openapi_document() -> dict:
    text = (resources.files("trialmatch.api") / "data" / "openapi.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.") \
            or not isinstance(document.get("paths"), dict):
        raise RuleFileError("openapi.yaml: expected an OpenAPI 3 document with paths")
    return document


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


@bp.get("/docs")
def docs_page():
    document = openapi_document()
    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(document['info']['title'])} API</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}code,pre{background:#f4f4f4}"
             "h3{margin-bottom:.2em}.m{font-weight:bold;text-transform:uppercase}</style></head><body>",
             f"<h1>{esc(document['info']['title'])} API v{esc(str(document['info']['version']))}</h1>",
             f"<pre>{esc(document['info'].get('description', ''))}</pre>",
             "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a></p>"]
    for path, item in document["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            parts.append(f"<h3><span class='m'>{method}</span> <code>{esc(path)}</code></h3>"
                         f"<p>{esc(op.get('summary', ''))}</p>")
            if op.get("description"):
                parts.append(f"<pre>{esc(op['description'])}</pre>")
            params = item.get("parameters", []) + op.get("parameters", [])
            if params:
                parts.append("<ul>" + "".join(
                    f"<li><code>{esc(p['name'])}</code> ({esc(p['in'])}) {esc(p.get('description', ''))}</li>"
                    for p in params) + "</ul>")
            statuses = ", ".join(esc(str(s)) for s in op.get("responses", {}))
            parts.append(f"<p>Responses: {statuses}</p>")
    parts.append(f"<h2>Schemas</h2><pre>{esc(json.dumps(document['components']['schemas'], indent=2))}</pre>")
    parts.append("</body></html>")
    return Response("".join(parts), mimetype="text/html")
