"""The API docs page (/api/docs), made from the OpenAPI schema itself: each endpoint with its
parameters and responses, and each response model with its fields. A page of plain HTML,
in the site's own look, with no script (so it works under the site's Content-Security-Policy
and without reaching any CDN)."""

from __future__ import annotations

import json
from typing import Any

Part = tuple[str, str]  # (text, model it links to, or "")

REF = "#/components/schemas/"


def type_parts(schema: dict[str, Any]) -> list[Part]:
    """A JSON Schema type in words: "array of StoryCard", "integer or null", "one of …"."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF)
        return [(name, name)]
    if "anyOf" in schema:
        parts: list[Part] = []
        for i, option in enumerate(schema["anyOf"]):
            if i:
                parts.append((" or ", ""))
            parts.extend(type_parts(option))
        return parts
    if "const" in schema:
        return [(json.dumps(schema["const"], ensure_ascii=False), "")]
    if "enum" in schema:
        values = ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
        return [(f"one of {values}", "")]
    kind = schema.get("type", "any")
    if kind == "array":
        return [("array of ", ""), *type_parts(schema.get("items", {}))]
    if kind == "object" and "additionalProperties" in schema and "properties" not in schema:
        extra = schema["additionalProperties"]
        if isinstance(extra, dict):
            return [("object of ", ""), *type_parts(extra)]
        return [("object", "")]
    if isinstance(kind, list):
        return [(" or ".join(kind), "")]
    text = str(kind) + (f" ({schema['format']})" if "format" in schema else "")
    if "minimum" in schema and "maximum" in schema:
        text += f", {schema['minimum']} to {schema['maximum']}"
    elif "minimum" in schema:
        text += f", at least {schema['minimum']}"
    elif "maximum" in schema:
        text += f", at most {schema['maximum']}"
    return [(text, "")]


def _response_model(response: dict[str, Any]) -> tuple[str, list[Part]]:
    content = response.get("content", {})
    for media, body in content.items():
        return media, type_parts(body.get("schema", {}))
    return "", []


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "type": type_parts(p.get("schema", {})),
                    "required": p.get("required", False),
                    "default": (
                        json.dumps(p["schema"]["default"], ensure_ascii=False)
                        if "default" in p.get("schema", {})
                        else ""
                    ),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            responses = []
            for status, response in operation.get("responses", {}).items():
                media, model = _response_model(response)
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "media": media,
                        "model": model,
                    }
                )
            found.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or [""])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    # A link to try it: paths with no {parameter} can be followed as they are.
                    "example": path if "{" not in path else "",
                }
            )
    return found


def models(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name, model in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(model.get("required", []))
        found.append(
            {
                "name": name,
                "description": model.get("description", ""),
                "open": model.get("additionalProperties") is not False,
                "fields": [
                    {
                        "name": field,
                        "type": type_parts(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                    }
                    for field, spec in model.get("properties", {}).items()
                ],
            }
        )
    return found


def docs_page(schema: dict[str, Any]) -> dict[str, Any]:
    """The docs page's data: the API's title and version, its endpoints (grouped: the pages'
    JSON twins, then the feeds) and its models."""
    operations = endpoints(schema)
    groups = []
    for tag, title in (("pages", "Pages"), ("feeds", "JSON Feeds")):
        members = [op for op in operations if op["tag"] == tag]
        if members:
            groups.append({"tag": tag, "title": title, "endpoints": members})
    others = [op for op in operations if op["tag"] not in {"pages", "feeds"}]
    if others:
        groups.append({"tag": "other", "title": "Other", "endpoints": others})
    return {
        "api": {
            "title": schema["info"]["title"],
            "version": schema["info"]["version"],
            "openapi": schema["openapi"],
        },
        "groups": groups,
        "models": models(schema),
    }
