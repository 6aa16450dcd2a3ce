"""Request parameters as the vendors read them: query string, then the body on top of it."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

MAX_BODY_BYTES = 256 * 1024


class BadParameters(ValueError):
    """A body the vendor could not read (the vendor module words the answer)."""


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        if part.get_filename():
            fields[name] = {"filename": part.get_filename(), "size": len(payload)}
        else:
            fields[name] = payload.decode("utf-8", errors="replace")
    return fields


def read_parameters(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """The query string's fields, then the body's: JSON object, urlencoded or multipart form.

    A repeated field keeps its last value. Raises BadParameters for a body too large, JSON that
    is not an object, or a form that is not UTF-8.
    """
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if len(body) > MAX_BODY_BYTES:
        raise BadParameters("body too large")
    if not body:
        return params
    kind = content_type.split(";")[0].strip().lower()
    try:
        if kind == "application/json":
            decoded = json.loads(body)
            if not isinstance(decoded, dict):
                raise BadParameters("parameters must be a JSON object")
            params.update(decoded)
        elif kind == "multipart/form-data":
            params.update(_multipart(content_type, body))
        else:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, BadParameters):
            raise
        raise BadParameters(str(error)) from error
    return params
