"""Fuzz: malformed and hostile bodies at the action server, with and without its secret: 0 5xx."""

from __future__ import annotations

import collections
import random
import zlib

import httpx
from sanic import Sanic

from actions.server import create_app
from tests.fuzz_bodies import CONTENT_TYPES, Body, bodies, count_from_env, json_body
from tests.unit.actions.test_server import SECRET, call

CI_BODIES = 1000
ACTIONS = ["action_repeat", "action_nobody_wrote", "", "action_my_data"]


def action_call(rng: random.Random) -> Body:
    base = call(rng.choice(ACTIONS))
    body = json_body(rng, rng.choice(["/webhook", "/webhook", "/actions", "/health"]), base)
    roll = rng.random()
    if roll < 0.6:
        body.headers["authorization"] = f"Bearer {SECRET}"
    elif roll < 0.8:
        body.headers["authorization"] = rng.choice(["Bearer", "Basic eDp5", "Bearer faux", ""])
    if rng.random() < 0.15:
        body.headers["content-encoding"] = rng.choice(["deflate", "gzip", "br", "deflate, gzip"])
        if rng.random() < 0.7:
            body.content = zlib.compress(body.content)
    if rng.random() < 0.1:
        body.content_type = rng.choice(CONTENT_TYPES)
    return body


async def test_no_hostile_body_gets_a_5xx() -> None:
    count = count_from_env(CI_BODIES)
    Sanic.test_mode = True
    app = create_app("actions", SECRET, max_body=256 * 1024, name=f"fuzz_{random.randrange(10**9)}")
    await app._startup()
    statuses: collections.Counter[tuple[str, int]] = collections.Counter()
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://actions") as client:
        for index, body in bodies(count, [action_call]):
            headers = {"content-type": body.content_type, **body.headers}
            if body.path == "/webhook":
                answer = await client.post(body.path, content=body.content, headers=headers)
            else:
                answer = await client.get(body.path, headers=headers)
            statuses[(body.path, answer.status_code)] += 1
            if answer.status_code >= 500:
                print(f"seed index {index}: {answer.status_code} {answer.text[:200]}")
            assert "request_body" not in answer.text
    server_errors = sum(n for (_, status), n in statuses.items() if status >= 500)
    lines = "\n".join(
        f"  {path:<9} {status}: {n}" for (path, status), n in sorted(statuses.items())
    )
    print(f"\nFuzz du serveur d'actions : {count} corps, {server_errors} réponses 5xx\n{lines}")
    assert sum(statuses.values()) == count
    assert server_errors == 0
