"""The pass criteria, read from what was stored and what the console shows.

- every user message stored exactly once (Rasa's ``events`` table against what was sent:
  SMS by MessageSid, Telegram by update_id, speech by call and words), whatever the vendor
  retried; none stored when the person was told it was not;
- messages in the order they were sent, per conversation; Telegram's answers (sent by the
  bot to the API, not in the webhook's response) in the tracker's order;
- no double booking: no slot reserved twice, nobody with two appointments, every
  confirmation a person read is in the appointments table;
- no lost handoff: each request for a person that was answered is in the console's queue
  (``/console/file.json`` through HAProxy, as a supervisor); each caller told "un
  conseiller vous rappellera" has a callback request;
- never silence: every message got a French answer, the safety net's included;
- the event consumer counted every user message the tracker holds.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from .people import HANDOFF_TEXT, Person, Sent, plain

OPEN = ("en_attente", "prise")
TURN_DONE = ("answered", "no_answer", "waiting")  # the assistant handled the message


@dataclass
class Counts:
    """Named counts, printed in order; ``failures`` names those that must be zero."""

    values: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, value: int, *, must_be_zero: bool = False) -> None:
        self.values[name] = value
        if must_be_zero and value:
            self.failures.append(name)


@dataclass
class Tracker:
    """The user and bot events of each conversation, in storage order."""

    by_id: Counter[tuple[str, str]]
    speech: Counter[tuple[str, str, str]]
    order: dict[str, list[str]]  # conversation -> message ids (or "call:words"), in order
    bot_texts: dict[str, list[str]]
    user_events: Counter[str]


def speech_key(call_sid: str, text: str) -> str:
    return f"{call_sid}:{text}"


def read_tracker(url: str) -> Tracker:
    by_id: Counter[tuple[str, str]] = Counter()
    speech: Counter[tuple[str, str, str]] = Counter()
    order: dict[str, list[str]] = defaultdict(list)
    bot_texts: dict[str, list[str]] = defaultdict(list)
    user_events: Counter[str] = Counter()
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT sender_id, type_name, data FROM events "
            "WHERE type_name IN ('user', 'bot') ORDER BY id"
        ).fetchall()
    for sender, kind, data in rows:
        event: dict[str, Any] = json.loads(data)
        if kind == "bot":
            if event.get("text"):
                bot_texts[sender].append(str(event["text"]))
            continue
        user_events[sender] += 1
        message_id = event.get("message_id")
        metadata = event.get("metadata") or {}
        if metadata.get("channel") == "voice" and metadata.get("call_sid"):
            text = str(event.get("text") or "")
            speech[(sender, str(metadata["call_sid"]), text)] += 1
            order[sender].append(speech_key(str(metadata["call_sid"]), text))
        elif message_id and event.get("input_channel") in ("sms", "telegram"):
            by_id[(sender, str(message_id))] += 1
            order[sender].append(str(message_id))
    return Tracker(by_id, speech, dict(order), dict(bot_texts), user_events)


def stored(tracker: Tracker, sent: Sent) -> int:
    if sent.channel == "voice":
        return tracker.speech[(sent.conversation, sent.vendor_id, sent.text)]
    return tracker.by_id[(sent.conversation, sent.vendor_id)]


def order_key(sent: Sent) -> str:
    return speech_key(sent.vendor_id, sent.text) if sent.channel == "voice" else sent.vendor_id


def lost_messages(people: list[Person], tracker: Tracker) -> list[Sent]:
    """Messages the assistant handled (the person got its answer) that no event records."""
    return [
        s
        for p in people
        for s in p.sent
        if s.reached_assistant and s.outcome in TURN_DONE and stored(tracker, s) == 0
    ]


def check_messages(people: list[Person], tracker: Tracker, counts: Counts) -> None:
    every = [s for p in people for s in p.sent]
    outcomes = Counter(s.outcome for s in every)
    numbers = Counter[str]()
    for sent in every:
        n = stored(tracker, sent)
        if n > 1:
            numbers["duplicated"] += 1
        if not sent.reached_assistant:
            continue
        if sent.outcome in TURN_DONE:
            numbers["once" if n == 1 else "lost" if n == 0 else "x"] += 1
        elif sent.outcome == "not_stored" and n:
            numbers["told_not_stored_but_stored"] += 1
    counts.add("messages envoyés", len(every))
    counts.add(
        "  dont webhooks renvoyés par le fournisseur (5xx, délai)",
        sum(s.delivery.retried for s in every),
    )
    counts.add("  réponses normales", outcomes["answered"])
    counts.add("  filet : « non enregistré, renvoyez-le »", outcomes["not_stored"])
    counts.add("  filet : « je mets trop de temps, renvoyez-le »", outcomes["too_slow"])
    counts.add("  filet : « je n'arrive pas à vous répondre » (enregistré)", outcomes["no_answer"])
    counts.add("  filet : « transmis à l'équipe » (conversation en pause)", outcomes["waiting"])
    counts.add("silences (aucune réponse en français)", outcomes["silence"], must_be_zero=True)
    counts.add("messages répondus et enregistrés une fois", numbers["once"])
    counts.add("messages enregistrés deux fois ou plus", numbers["duplicated"], must_be_zero=True)
    counts.add("messages répondus mais non enregistrés", numbers["lost"], must_be_zero=True)
    counts.add(
        "messages dits « non enregistrés » mais enregistrés",
        numbers["told_not_stored_but_stored"],
        must_be_zero=True,
    )
    counts.add(
        "personnes qui ont abandonné (renvoyé 3 fois sans succès)", sum(p.gave_up for p in people)
    )


def check_order(people: list[Person], tracker: Tracker, counts: Counts) -> None:
    out_of_order = 0
    for person in people:
        sent_order = [order_key(s) for s in person.sent if stored(tracker, s) >= 1]
        kept = set(sent_order)
        stored_order = [k for k in tracker.order.get(person.conversation, []) if k in kept]
        # A duplicate shows up twice in the stored order: counted above, ignored here.
        deduplicated = list(dict.fromkeys(stored_order))
        if deduplicated != sent_order:
            out_of_order += 1
    counts.add(
        "conversations dont les messages sont stockés dans le désordre",
        out_of_order,
        must_be_zero=True,
    )
    mismatched = answered_then_failed = 0
    for person in people:
        if person.channel != "telegram":
            continue
        expected = [plain(t)[:60] for t in tracker.bot_texts.get(person.conversation, [])]
        # Answers to the turns the assistant handled, in the order the person got them: a
        # subsequence of the tracker's. A turn that failed may have sent its answers before
        # its tracker write failed (Telegram sends during the turn): left out, counted.
        received = [
            plain(html.unescape(r))[:60]
            for s in person.sent
            if s.outcome in TURN_DONE
            for r in s.replies
        ]
        answered_then_failed += sum(
            s.outcome == "not_stored" and len(s.replies) > 1 for s in person.sent
        )
        remaining = iter(expected)
        if not all(any(t == e for e in remaining) for t in received if t in set(expected)):
            mismatched += 1
    counts.add(
        "conversations Telegram dont les réponses arrivent dans le désordre",
        mismatched,
        must_be_zero=True,
    )
    counts.add("  tours Telegram répondus puis « non enregistré »", answered_then_failed)


def check_bookings(people: list[Person], app_url: str, counts: Counts) -> None:
    with psycopg.connect(app_url) as db:
        twice = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM appointments WHERE status = 'reserve' "
            "GROUP BY mediator_id, starts_at HAVING count(*) > 1) AS doubles"
        ).fetchone()
        per_person = db.execute(
            "SELECT c.conversation_id, count(*) FROM appointments a "
            "JOIN contacts c ON c.id = a.contact_id WHERE a.status = 'reserve' "
            "GROUP BY c.conversation_id"
        ).fetchall()
        references = {
            row[0]
            for row in db.execute("SELECT reference FROM appointments WHERE status = 'reserve'")
        }
    seen = {ref for p in people for ref in p.bookings_seen}
    counts.add("rendez-vous demandés", sum(p.booking_asked for p in people))
    counts.add("rendez-vous confirmés à la personne", len(seen))
    counts.add("rendez-vous réservés (table appointments)", len(references))
    counts.add("créneaux réservés deux fois", int(twice[0]) if twice else 0, must_be_zero=True)
    counts.add(
        "personnes avec deux rendez-vous", sum(n > 1 for _, n in per_person), must_be_zero=True
    )
    counts.add("confirmations sans rendez-vous en base", len(seen - references), must_be_zero=True)


def console_queue(public_url: str, login: str, password: str) -> set[int]:
    """The ids of the open handoffs a supervisor sees in the console, through HAProxy."""
    with httpx.Client(base_url=public_url, verify=False, timeout=30) as client:  # noqa: S501
        page = client.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"console : page de connexion {page.status_code}")
        signed = client.post(
            "/console/login",
            data={"login": login, "password": password, "csrf": token.group(1), "next": ""},
            headers={"Origin": public_url},
        )
        if signed.status_code not in (200, 303):
            raise RuntimeError(f"console : connexion refusée ({signed.status_code})")
        queue = client.get("/console/file.json")
        if queue.status_code != 200:
            raise RuntimeError(f"console : file d'attente {queue.status_code}")
        body = queue.json()
    return {
        int(item["id"])
        for key in ("en_attente", "mes_conversations", "autres")
        for item in body.get(key, [])
    }


def check_handoffs(
    people: list[Person], app_url: str, in_console: set[int], counts: Counts
) -> None:
    asked = [
        p
        for p in people
        if p.channel != "voice"
        and any(s.text == HANDOFF_TEXT and s.outcome in TURN_DONE for s in p.sent)
    ]
    callers = [p for p in people if p.channel == "voice" and p.asked_for_person]
    with psycopg.connect(app_url) as db:
        open_ids = {
            str(cid): int(hid)
            for hid, cid in db.execute(
                "SELECT id, conversation_id FROM handoffs WHERE status IN ('en_attente', 'prise')"
            )
        }
        callbacks = {str(row[0]) for row in db.execute("SELECT phone FROM callback_requests")}
    missing_row = [p for p in asked if p.conversation not in open_ids]
    missing_console = [
        p
        for p in asked
        if p.conversation in open_ids and open_ids[p.conversation] not in in_console
    ]
    told = [p for p in callers if p.told_callback]
    counts.add("demandes de conseiller (SMS, Telegram) traitées", len(asked))
    counts.add("  passations ouvertes en base", len(asked) - len(missing_row))
    counts.add(
        "  visibles dans la file de la console",
        len(asked) - len(missing_row) - len(missing_console),
    )
    counts.add("passations perdues", len(missing_row) + len(missing_console), must_be_zero=True)
    counts.add("passations de la file (incidents du filet compris)", len(in_console))
    counts.add("appelants qui demandent un conseiller", len(callers))
    counts.add("  rappels promis", len(told))
    counts.add(
        "rappels promis sans demande de rappel en base",
        sum(p.conversation not in callbacks for p in told),
        must_be_zero=True,
    )


def event_miscounts(
    people: list[Person], tracker: Tracker, app_url: str
) -> list[tuple[str, int, int]]:
    """(conversation, user messages the event consumer counted, user events in the tracker)
    for each conversation where the two differ."""
    with psycopg.connect(app_url) as db:
        rows = db.execute("SELECT conversation_id, user_messages FROM conversation_activity")
        seen = {str(cid): int(n) for cid, n in rows}
    pairs = [
        (p.conversation, seen.get(p.conversation, 0), tracker.user_events.get(p.conversation, 0))
        for p in people
    ]
    return [pair for pair in pairs if pair[1] != pair[2]]


def check_events(people: list[Person], tracker: Tracker, app_url: str) -> int:
    """Conversations whose user messages the event consumer counted differently (0 = all)."""
    return len(event_miscounts(people, tracker, app_url))
