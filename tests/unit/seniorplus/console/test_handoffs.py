"""Console handoffs: queue, claim (one winner), another agent's conversation (404), replies
and their delivery (real SMS sender, fake Twilio), hand back and close (real Rasa client,
fake Rasa), HTML shown as text, supervisors reassign. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import httpx
import pytest
from sqlalchemy import select

from seniorplus.db import session_scope
from seniorplus.handoff.messages import hand_back_notice
from seniorplus.handoff.models import HandoffReply
from seniorplus.models import ChannelOptOut
from tests.unit.console_helpers import (
    FakeVendors,
    Tracker,
    add_agent,
    add_handoff,
    audit_actions,
    fresh_throttle,
    handoff_status,
    post,
    signed_in,
    tracker,
    vendors,
)

pytestmark = pytest.mark.usefixtures("database_url", "fresh_throttle")
_ = (fresh_throttle, tracker, vendors)

PHONE = "+33612345678"
OTHER_PHONE = "+33698765432"


@pytest.fixture
def team() -> dict[str, int]:
    return {
        "camille": add_agent("camille", name="Camille"),
        "dominique": add_agent("dominique", name="Dominique"),
        "sophie": add_agent("sophie", "supervisor", name="Sophie"),
    }


def claim(browser: object, handoff_id: int) -> httpx.Response:
    return post(browser, f"/console/conversations/{handoff_id}/prendre")  # type: ignore[arg-type]


# --- queue -------------------------------------------------------------------------------


def test_queue_shows_waiting_handoffs_in_french(team: dict[str, int]) -> None:
    handoff_id = add_handoff(PHONE, reason="incomprehension")
    page = signed_in("camille").get("/console/")
    assert page.status_code == 200
    assert f"Conversation n° {handoff_id} — SMS" in page.text
    assert "L&#39;assistant n&#39;a pas compris deux fois de suite" in page.text
    assert "En attente depuis moins d&#39;une minute" in page.text
    assert "Marcel, pour lui-même." in page.text
    assert "APA à domicile, étape 2." not in page.text  # only the first line in the queue


def test_queue_json_for_the_auto_refresh(team: dict[str, int], vendors: FakeVendors) -> None:
    waiting = add_handoff(PHONE)
    mine = add_handoff(OTHER_PHONE, channel="telegram", reason="urgence")
    camille = signed_in("camille")
    assert claim(camille, mine).status_code == 303
    response = camille.get("/console/file.json", headers={"X-Console-Poll": "1"})
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert [item["id"] for item in data["en_attente"]] == [waiting]
    assert [item["id"] for item in data["mes_conversations"]] == [mine]
    item = data["mes_conversations"][0]
    assert item["channel"] == "Telegram" and item["holder"] == "Camille" and item["mine"]
    assert item["reason"].startswith("URGENT") and item["urgent"]
    assert data["autres"] == [] and data["conseillers"] == []  # an agent does not reassign
    # Dominique sees the waiting one, not Camille's; Sophie sees both, and whom to give them.
    dominique = signed_in("dominique").get("/console/file.json").json()
    assert [i["id"] for i in dominique["en_attente"]] == [waiting]
    assert dominique["mes_conversations"] == [] and dominique["autres"] == []
    sophie = signed_in("sophie").get("/console/file.json").json()
    assert [i["id"] for i in sophie["autres"]] == [mine]
    assert {a["nom"] for a in sophie["conseillers"]} == {"Camille", "Dominique", "Sophie"}


def test_urgent_handoffs_wait_at_the_head_of_the_queue_marked(team: dict[str, int]) -> None:
    first = add_handoff(PHONE)
    urgent = add_handoff(OTHER_PHONE, reason="urgence")
    data = signed_in("camille").get("/console/file.json").json()
    assert [item["id"] for item in data["en_attente"]] == [urgent, first]
    assert [item["urgent"] for item in data["en_attente"]] == [True, False]
    page = signed_in("camille").get("/console/").text
    assert 'class="carte attente urgent"' in page and "URGENT" in page


# --- claim ---------------------------------------------------------------------------------


def test_claiming_an_urgent_handoff_pauses_the_assistant(
    team: dict[str, int], vendors: FakeVendors
) -> None:
    urgent = add_handoff(OTHER_PHONE, reason="urgence")
    asked = add_handoff(PHONE)  # asked for a person: the assistant was paused already
    camille = signed_in("camille")
    assert claim(camille, asked).status_code == 303
    assert vendors.rasa == []
    assert claim(camille, urgent).status_code == 303
    assert [event for _, event in vendors.rasa] == ["pause"]
    assert OTHER_PHONE in vendors.rasa[0][0]


def test_an_urgent_claim_says_so_when_the_assistant_cannot_be_paused(
    team: dict[str, int], vendors: FakeVendors
) -> None:
    vendors.rasa_down = True
    urgent = add_handoff(OTHER_PHONE, reason="urgence")
    response = claim(signed_in("camille"), urgent)
    assert response.status_code == 503
    assert "pas pu être mis en pause" in response.text
    assert handoff_status(urgent)[0] == "prise"  # taken all the same


def test_claim_takes_the_handoff_and_is_audited(team: dict[str, int]) -> None:
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    response = claim(camille, handoff_id)
    assert response.status_code == 303
    assert response.headers["location"] == f"/console/conversations/{handoff_id}?fait=prise"
    assert handoff_status(handoff_id) == ("prise", team["camille"])
    assert "Vous avez pris la conversation" in camille.get(response.headers["location"]).text
    assert "prise" in audit_actions("camille")


def test_a_claim_after_someone_else_says_who(team: dict[str, int]) -> None:
    handoff_id = add_handoff(PHONE)
    sophie, camille = signed_in("sophie"), signed_in("camille")
    assert claim(sophie, handoff_id).status_code == 303
    late = claim(camille, handoff_id)
    assert late.status_code == 409 and "Déjà prise par Sophie." in late.text
    assert handoff_status(handoff_id) == ("prise", team["sophie"])


def test_two_agents_claiming_at_once_one_wins(team: dict[str, int]) -> None:
    handoff_id = add_handoff(PHONE)
    browsers = {"camille": signed_in("camille"), "dominique": signed_in("dominique")}
    tokens = {name: b.get("/console/").text for name, b in browsers.items()}  # warm up
    assert all(tokens.values())
    barrier = threading.Barrier(2)
    results: dict[str, httpx.Response] = {}

    def go(name: str) -> None:
        barrier.wait()
        results[name] = claim(browsers[name], handoff_id)

    threads = [threading.Thread(target=go, args=(name,)) for name in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(r.status_code for r in results.values())
    assert codes == [303, 409], {n: r.status_code for n, r in results.items()}
    winner = next(n for n, r in results.items() if r.status_code == 303)
    loser = next(n for n, r in results.items() if r.status_code == 409)
    assert f"Déjà prise par {winner.capitalize()}." in results[loser].text
    assert handoff_status(handoff_id) == ("prise", team[winner])
    assert audit_actions().count("prise") == 1


# --- another agent's conversation -----------------------------------------------------------


def test_an_agent_changing_the_id_gets_a_404(team: dict[str, int], tracker: Tracker) -> None:
    tracker.say(PHONE, "user", "Mon dossier APA est bloqué")
    handoff_id = add_handoff(PHONE)
    camille, dominique = signed_in("camille"), signed_in("dominique")
    assert dominique.get(f"/console/conversations/{handoff_id}").status_code == 200  # waiting
    assert claim(camille, handoff_id).status_code == 303
    page = dominique.get(f"/console/conversations/{handoff_id}")
    assert page.status_code == 404
    assert "Conversation introuvable, ou confiée à un autre conseiller." in page.text
    assert "Mon dossier APA" not in page.text
    lines = dominique.get(f"/console/conversations/{handoff_id}/lines")
    assert lines.status_code == 404 and "Mon dossier APA" not in lines.text
    reply = post(dominique, f"/console/conversations/{handoff_id}/repondre", {"texte": "Bonjour"})
    assert reply.status_code == 404
    assert dominique.get("/console/conversations/999999").status_code == 404  # same answer
    assert signed_in("sophie").get(f"/console/conversations/{handoff_id}").status_code == 200


# --- transcript, replies and their delivery -------------------------------------------------


def test_user_html_is_shown_as_text(team: dict[str, int], tracker: Tracker) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)> bonjour'
    tracker.say(PHONE, "user", attack)
    tracker.say(PHONE, "bot", "Une personne de l'équipe va vous répondre.")
    handoff_id = add_handoff(PHONE, summary='<b>Résumé</b> <script>alert("r")</script>')
    camille = signed_in("camille")
    page = camille.get(f"/console/conversations/{handoff_id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in page.text
    )
    assert "&lt;b&gt;Résumé&lt;/b&gt;" in page.text
    lines = camille.get(f"/console/conversations/{handoff_id}/lines")
    assert lines.headers["content-type"] == "application/json"
    assert lines.headers["x-content-type-options"] == "nosniff"
    texts = [line["texte"] for line in lines.json()["lignes"]]
    assert texts == [attack, "Une personne de l'équipe va vous répondre."]  # data, as typed
    assert [line["locuteur"] for line in lines.json()["lignes"]] == ["personne", "assistant"]


def test_new_lines_after_a_moment(team: dict[str, int], tracker: Tracker) -> None:
    first = tracker.say(PHONE, "user", "premier")
    tracker.say(PHONE, "user", "deuxième")
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    after = datetime.fromtimestamp(first, timezone.utc).isoformat()
    data = camille.get(f"/console/conversations/{handoff_id}/lines", params={"after": after}).json()
    assert [line["texte"] for line in data["lignes"]] == ["deuxième"]
    assert data["statut"] == "en_attente" and data["statut_label"] == "en attente"
    bad = camille.get(f"/console/conversations/{handoff_id}/lines", params={"after": "hier"})
    assert bad.status_code == 400


def test_reply_reaches_the_person_by_sms(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors
) -> None:
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    claim(camille, handoff_id)
    response = post(
        camille,
        f"/console/conversations/{handoff_id}/repondre",
        {"texte": "  Bonjour Marcel, je regarde votre dossier.  "},
    )
    assert response.status_code == 303
    assert vendors.sms == [
        {"To": PHONE, "From": "+33757000000", "Body": "Bonjour Marcel, je regarde votre dossier."}
    ]
    page = camille.get(response.headers["location"])
    assert '<p class="avis" role="status">Envoyé.</p>' in page.text
    assert "Camille (conseiller)" in page.text
    # The reply, then the page read again after it (every page read is journaled).
    assert audit_actions("camille")[-2:] == ["reponse", "lecture_conversation"]


def test_reply_refused_by_stop_says_so(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors
) -> None:
    with session_scope() as session:
        session.add(ChannelOptOut(channel="sms", address=PHONE))
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    claim(camille, handoff_id)
    response = post(camille, f"/console/conversations/{handoff_id}/repondre", {"texte": "Bonjour"})
    assert response.status_code == 303
    assert vendors.sms == []  # nothing left for Twilio
    page = camille.get(response.headers["location"])
    reason = "Non envoyé : La personne a demandé l&#39;arrêt des SMS (STOP)."
    assert f'<p class="erreur" role="alert">{reason}</p>' in page.text
    assert f'<p class="envoi ko">{reason}</p>' in page.text  # and in the transcript
    line = camille.get(f"/console/conversations/{handoff_id}/lines").json()["lignes"][-1]
    assert line["envoi"] == "Non envoyé" and line["envoi_ok"] is False
    assert line["motif"] == "La personne a demandé l'arrêt des SMS (STOP)."
    with session_scope() as session:
        assert session.scalars(select(HandoffReply)).one().delivery == "refused"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Votre réponse est vide."),
        ("x" * 1601, "Votre réponse est trop longue (1601 caractères)"),
    ],
)
def test_empty_or_too_long_reply_is_refused_and_kept(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors, text: str, message: str
) -> None:
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    claim(camille, handoff_id)
    response = post(camille, f"/console/conversations/{handoff_id}/repondre", {"texte": text})
    assert response.status_code == 409 and message in response.text
    assert vendors.sms == []
    if text.strip():
        assert text in response.text  # the draft is not lost


def test_reply_before_claiming_is_refused(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors
) -> None:
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    response = post(camille, f"/console/conversations/{handoff_id}/repondre", {"texte": "Bonjour"})
    assert response.status_code == 409 and "Prenez d&#39;abord la conversation." in response.text
    assert vendors.sms == []


# --- hand back, close, reassign ---------------------------------------------------------------


def test_hand_back_resumes_the_assistant_and_tells_the_person(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors
) -> None:
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    claim(camille, handoff_id)
    response = post(camille, f"/console/conversations/{handoff_id}/rendre")
    assert response.status_code == 303
    assert "fait=rendue" in response.headers["location"]
    assert vendors.rasa == [(f"/conversations/{PHONE}/tracker/events", "resume")]
    # The notice, as the SMS renderer sends it (GSM-7: « » become plain quotes).
    assert len(vendors.sms) == 1 and vendors.sms[0]["To"] == PHONE
    assert vendors.sms[0]["Body"].startswith(hand_back_notice()[:40])
    assert handoff_status(handoff_id)[0] == "rendue"
    page = camille.get(response.headers["location"])
    assert "La conversation est rendue à l&#39;assistant." in page.text
    assert "Répondre" not in page.text  # no more reply form
    assert "rendue_assistant" in audit_actions("camille")


def test_hand_back_when_rasa_is_down_changes_nothing(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors
) -> None:
    vendors.rasa_down = True
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    claim(camille, handoff_id)
    response = post(camille, f"/console/conversations/{handoff_id}/rendre")
    assert response.status_code == 503
    assert "L&#39;assistant ne répond pas pour le moment" in response.text
    assert handoff_status(handoff_id)[0] == "prise" and vendors.sms == []


def test_close_goes_back_to_the_queue(
    team: dict[str, int], tracker: Tracker, vendors: FakeVendors
) -> None:
    handoff_id = add_handoff(PHONE)
    camille = signed_in("camille")
    claim(camille, handoff_id)
    response = post(camille, f"/console/conversations/{handoff_id}/clore")
    assert response.status_code == 303 and response.headers["location"] == "/console/?fait=close"
    assert handoff_status(handoff_id)[0] == "close"
    assert vendors.rasa == [(f"/conversations/{PHONE}/tracker/events", "resume")]
    assert vendors.sms == []  # closing says nothing to the person
    assert "cloture" in audit_actions("camille")


def test_supervisor_reassigns(team: dict[str, int]) -> None:
    handoff_id = add_handoff(PHONE)
    sophie = signed_in("sophie")
    response = post(
        sophie,
        f"/console/conversations/{handoff_id}/reattribuer",
        {"agent_id": str(team["dominique"])},
    )
    assert response.status_code == 303
    assert handoff_status(handoff_id) == ("prise", team["dominique"])
    assert "reattribution" in audit_actions("sophie")
    camille = signed_in("camille")
    refused = post(
        camille,
        f"/console/conversations/{handoff_id}/reattribuer",
        {"agent_id": str(team["camille"])},
    )
    assert refused.status_code == 403
    assert handoff_status(handoff_id) == ("prise", team["dominique"])
