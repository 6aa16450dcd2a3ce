"""JSON API authentication: machine tokens (hashes in API_TOKENS), one 401 for every failure,
roles for writes, pluggable authenticators, OpenAPI document and docs page."""

from __future__ import annotations

import logging

import pytest
from fastapi.routing import APIRoute
from starlette.requests import Request

from seniorplus.errors import ConfigurationError
from seniorplus.settings import Settings, parse_api_tokens
from seniorplus.web.api import Principal, auth, create_api
from tests.unit.api_helpers import (
    API_TOKENS,
    CONSOLE_TOKEN,
    EVAL_TOKEN,
    UNAUTHORIZED,
    api_client,
    app_client,
    bearer,
    configure_tokens,
    sha256,
)


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_tokens(monkeypatch)


# --- API_TOKENS ------------------------------------------------------------------------


def test_api_tokens_are_read_as_name_and_hash() -> None:
    settings = Settings.from_env({"APP_ENV": "dev", "API_TOKENS": API_TOKENS})
    assert settings.api.tokens == (("eval", sha256(EVAL_TOKEN)), ("console", sha256(CONSOLE_TOKEN)))
    assert Settings.from_env({"APP_ENV": "dev"}).api.tokens == ()
    assert sha256(EVAL_TOKEN) not in repr(settings)
    upper = parse_api_tokens(f" ci.bot : {sha256('x').upper()} ,")
    assert upper == (("ci.bot", sha256("x")),)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (EVAL_TOKEN, "not 'name:sha256hex'"),  # a token pasted without a name
        (f"eval:{EVAL_TOKEN}", "never the token itself"),  # a token instead of its hash
        (f"eval:{sha256('a')[:-1]}", "64 hex digits"),
        (f"bad name:{sha256('a')}", "not 'name:sha256hex'"),
        (f"eval:{sha256('a')},eval:{sha256('b')}", "twice"),
    ],
)
def test_malformed_api_tokens_are_refused(value: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem) as caught:
        Settings.from_env({"APP_ENV": "dev", "API_TOKENS": value})
    assert EVAL_TOKEN not in str(caught.value)  # the error never repeats a secret


def test_production_refuses_the_hash_of_a_placeholder_token() -> None:
    environ = {"APP_ENV": "production", "RASA_TOKEN": "a-real-secret-value"}
    with pytest.raises(ConfigurationError, match="placeholder"):
        Settings.from_env({**environ, "API_TOKENS": f"console:{sha256('change-me')}"})
    assert Settings.from_env({**environ, "API_TOKENS": API_TOKENS}).api.tokens


def test_new_token_command_prints_a_token_and_its_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert auth.main(["nouveau-jeton", "console"]) == 0
    lines = capsys.readouterr().out.splitlines()
    token = lines[0].rsplit(" ", 1)[1]
    entry = lines[1].rsplit(" ", 1)[1]
    assert len(token) >= 40
    assert parse_api_tokens(entry) == (("console", sha256(token)),)
    assert auth.main(["nouveau-jeton", "mauvais nom"]) == 2
    assert auth.main([]) == 2


# --- 401 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("wrong-token"),
        bearer(EVAL_TOKEN + "x"),
        bearer(sha256(EVAL_TOKEN)),  # the configured hash is not a token
        {"Authorization": f"Basic {EVAL_TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": EVAL_TOKEN},
    ],
    ids=["none", "wrong", "longer", "hash", "basic", "empty", "no-scheme"],
)
def test_missing_or_wrong_token_gets_the_same_401(headers: dict[str, str]) -> None:
    client = app_client(token=None)
    for method, path in [
        ("GET", "/api/cases"),
        ("GET", "/api/cases/SP-2026-000001"),
        ("GET", "/api/mediators"),
        ("GET", "/api/slots?journey=apa_domicile"),
        ("PATCH", "/api/cases/SP-2026-000001"),
        ("PUT", "/api/mediators/1/availability"),
    ]:
        response = client.request(method, path, headers=headers, json={"status": "clos"})
        assert response.status_code == 401, (method, path)
        assert response.json() == UNAUTHORIZED
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_invalid_request_without_token_is_401_not_422() -> None:
    client = app_client(token=None)
    response = client.get("/api/cases?status=inconnu&limit=0")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    broken = client.patch(
        "/api/cases/SP-2026-000001",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert (broken.status_code, broken.json()) == (401, UNAUTHORIZED)
    authed = app_client().get("/api/cases?status=inconnu")
    assert authed.status_code == 422


@pytest.mark.usefixtures("database_url")
def test_each_configured_token_is_accepted() -> None:
    client = app_client(token=None)
    for token in (EVAL_TOKEN, CONSOLE_TOKEN):
        response = client.get("/api/cases", headers=bearer(token))
        assert response.status_code == 200, response.text
        assert response.json()["items"] == []
    lower_scheme = client.get("/api/cases", headers={"Authorization": f"bearer {EVAL_TOKEN}"})
    assert lower_scheme.status_code == 200


def test_no_token_configured_accepts_no_one(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_tokens(monkeypatch, "")
    response = app_client().get("/api/cases")
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


def test_refused_authentication_logs_no_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app_client(token=None).get("/api/cases/0612345678", headers=bearer("secret-guess-123"))
    server = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("seniorplus"))
    assert "authentication refused" in server
    assert "secret-guess-123" not in server
    assert "0612345678" not in server


# --- roles and other authenticators ---------------------------------------------------


def _as(role: auth.Role) -> auth.Authenticator:
    def authenticate(_request: Request) -> Principal:
        return Principal(kind="agent", name="m.durand", role=role)

    return authenticate


def test_machine_tokens_are_admins_recorded_as_agents() -> None:
    principal = Principal(kind="machine", name="eval", role="admin")
    assert principal.actor == "agent:eval"
    assert principal.can_write


@pytest.mark.usefixtures("database_url")
def test_writes_need_supervisor_or_admin() -> None:
    reader = api_client([_as("agent")])
    assert reader.get("/api/mediators").status_code == 200  # reading is allowed
    for method, path, body in [
        ("PATCH", "/api/cases/SP-2026-000001", {"status": "en_cours"}),
        ("POST", "/api/mediators", {"name": "X", "site_id": 1}),
        ("PATCH", "/api/mediators/1", {"name": "X"}),
        ("PUT", "/api/mediators/1/availability", {"weekly": []}),
    ]:
        response = reader.request(method, path, json=body)
        assert response.status_code == 403, (method, path)
        assert "réservée aux superviseurs" in response.json()["erreur"]
    supervisor = api_client([_as("supervisor")])
    missing = supervisor.patch("/api/cases/SP-2026-000001", json={"status": "en_cours"})
    assert missing.status_code == 404  # past the role check


@pytest.mark.usefixtures("database_url")
def test_authenticators_are_tried_in_order() -> None:
    def nobody(_request: Request) -> Principal | None:
        return None

    client = api_client([nobody, auth.machine_token])
    assert client.get("/api/cases", headers=bearer()).status_code == 200
    assert client.get("/api/cases").status_code == 401
    assert api_client([]).get("/api/cases", headers=bearer()).status_code == 401


# --- documentation --------------------------------------------------------------------


def test_openapi_lists_every_route_with_french_summaries_and_the_token_scheme() -> None:
    client = app_client(token=None)
    response = client.get("/api/openapi.json")  # public: documentation, no data
    assert response.status_code == 200
    document = response.json()
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    routes = {
        (route.path, method)
        for route in create_api().routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert documented == routes
    assert {
        ("/cases", "GET"),
        ("/cases/{reference}", "GET"),
        ("/cases/{reference}", "PATCH"),
        ("/appointments", "GET"),
        ("/mediators", "GET"),
        ("/mediators", "POST"),
        ("/mediators/{mediator_id}", "GET"),
        ("/mediators/{mediator_id}", "PATCH"),
        ("/mediators/{mediator_id}/availability", "GET"),
        ("/mediators/{mediator_id}/availability", "PUT"),
        ("/slots", "GET"),
        ("/sites", "GET"),
    } <= documented
    assert document["servers"] == [{"url": "/api"}]
    assert document["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"jeton": []}], (path, method)
            assert operation["summary"][0].isupper(), (path, method)
            assert operation["responses"]["401"]["content"], (path, method)
    assert "Authentification" in document["info"]["description"]
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/openapi.json" in page.text


def test_unknown_address_and_method_answer_in_french() -> None:
    client = app_client()
    missing = client.get("/api/nulle-part")
    assert (missing.status_code, missing.json()) == (404, {"erreur": "Adresse inconnue de l'API."})
    wrong = client.delete("/api/cases")
    assert wrong.status_code == 405
    assert wrong.json() == {"erreur": "Méthode non autorisée sur cette adresse."}
