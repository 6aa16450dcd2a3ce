"""The messages of each home of wording, said with realistic values (``devtools/wording.py``).

Templates are filled with the longest values they take (the longest way of naming the
senior, the longest journey title, incomes from nothing to 6 000 euros a month, both sides
of the new year), so that the SMS report measures the longest message a person can get.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from channels import wording as channel_wording
from policies.hours import OpeningHours
from rendering.voice_pages import FIRST_PAGE, MORE_CHOICES, MORE_TOPICS, VoiceMenu
from safety import lines as safety_lines
from seniorplus.booking import service as booking
from seniorplus.booking.dates import DateProblem, read_when
from seniorplus.booking.models import Appointment
from seniorplus.cases.cases import STATUS_LABELS
from seniorplus.cases.models import CaregiverLink, Case, CaseDocument, Contact
from seniorplus.data_rights.inventory import PersonData
from seniorplus.data_rights.summary import summary_text
from seniorplus.dialogue import (
    apa_estimate,
    appointment_replies,
    case_replies,
    data_request,
    ehpad_estimate,
    pending,
    speaker,
    triage,
    triage_questions,
)
from seniorplus.dialogue.facts import NEED_CONSTANT, NEED_DAILY_CARE, Facts, say_back
from seniorplus.dialogue.labels import TOPIC_LABELS, also_about, clarification_buttons
from seniorplus.dialogue.triage import Home, Need
from seniorplus.estimates import PARAMETERS_BY_YEAR
from seniorplus.handoff import messages as handoff_messages
from seniorplus.handoff.models import HANDOFF_REASONS
from seniorplus.handoff.rasa_api import UNAVAILABLE_FR
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.contacts import load_contacts
from seniorplus.journeys.schema import LONGEST_RELATIVE
from seniorplus.journeys.today import journeys_on
from seniorplus.models import ChannelOptOut
from seniorplus.questions import load_bank
from seniorplus.questions.answers import answered, maybe_asked
from seniorplus.scheduler.messages import EVENTS, AppointmentFacts, message_for

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_DIR = ROOT / "bot" / "domain"
SPEAKERS = (
    speaker.Speaker(speaker.SELF),
    speaker.Speaker(speaker.RELATIVE),
    speaker.Speaker(speaker.RELATIVE, "grand-mère"),
    speaker.Speaker(speaker.RELATIVE, "père"),
)
# Before and after the new year: figures and dated texts switch on 1 January 2027.
SAMPLE_DAYS = (date(2026, 12, 5), date(2027, 1, 5))
SAMPLE_INCOMES = (None, Decimal(0), Decimal(800), Decimal(1200), Decimal("1955.60"),
                  Decimal(3000), Decimal(6000))  # fmt: skip
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)  # a Monday morning (10 h in Paris)
# What describe_appointment says (seniorplus/booking/service.py), the longest of each mode.
DESCRIBED = (
    "mercredi 16 décembre à 14 h 30, France Services Saint-Philbert-de-Grand-Lieu, "
    "2 rue de la Poste, 44310 Saint-Philbert-de-Grand-Lieu",
    "mercredi 16 décembre à 14 h 30, par téléphone : Sophie Martin-Leroy vous appellera",
    "mercredi 16 décembre à 14 h 30, chez vous, avec Sophie Martin-Leroy",
)
Buttons = tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Sample:
    """One message the assistant can send, where it comes from and where its words live.

    ``conversation``: samples a person reads one after the other (an acronym explained in
    the first need not be explained again); ``quoted``: a source, or the person's own words,
    said back as they are (not held to the plain-language rules); ``sms``: measured by the
    SMS report (False: held to the plain-language rules only).
    """

    source: str
    text: str | None
    buttons: Buttons = ()
    home: str = ""
    conversation: str | None = None
    quoted: bool = False
    sms: bool = True


def _buttons(raw: object) -> Buttons:
    items = raw if isinstance(raw, list) else []
    return tuple(
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in items
        if isinstance(b, dict)
    )


def _replies(
    source: str, replies: Sequence[walk.Reply], conversation: str | None = None
) -> Iterator[Sample]:
    for index, reply in enumerate(replies, 1):
        part = f" ({index}/{len(replies)})" if len(replies) > 1 else ""
        yield Sample(source + part, reply.text, tuple(dict(b) for b in reply.buttons),
                     conversation=conversation)  # fmt: skip


def nothing() -> Iterator[Sample]:
    """A home read as written only."""
    yield from ()


def domain(directory: Path = DOMAIN_DIR) -> Iterator[Sample]:
    """Every variation of every response of the domain files."""
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            for index, variation in enumerate(variations or []):
                if isinstance(variation, dict) and (
                    variation.get("text") or variation.get("buttons")
                ):
                    source = f"domain {path.name}: {name}[{index}]"
                    yield Sample(source, variation.get("text"), _buttons(variation.get("buttons")))


def _journey(journey: Journey, journeys: Mapping[str, Journey], day: date) -> Iterator[Sample]:
    """Overview, every step, papers and amounts at every index (-1 too), edges, resume
    offers, definitions; said to the senior and to a caregiver. Each is read after the
    journey's overview, in one conversation per person (acronyms explained once)."""
    others = [j for j in walk.journeys_for_intent(journeys, journey.intent) if j.id != journey.id]
    longest_title = max((j.title for j in journeys.values()), key=len)
    name = f"journey {journey.id}"
    last = len(journey.steps) - 1
    contacts = load_contacts()
    for relative in (None, LONGEST_RELATIVE):
        who = " (relative)" if relative else ""
        read = f"{day} {journey.id} {relative or 'self'}"
        for saved in (walk.NOT_STARTED, last):
            where = f" saved {saved + 1}" if saved >= 0 else ""
            replies = walk.overview(journey, others, relative=relative, saved_index=saved)
            yield from _replies(f"{name}: overview{who}{where}", replies, read)
            menu = replies[-1]
            way_back = {"title": f"Reprendre : {longest_title}", "payload": "/next_step"}
            yield from _replies(
                f"{name}: overview menu + way back{who}{where}",
                [walk.Reply(menu.text, (*menu.buttons[:-1], way_back, walk.MENU))],
                read,
            )
        if relative is None:
            yield from _replies(f"{name}: eligibility", walk.eligibility(journey), read)
        for index in range(len(journey.steps)):
            yield from _replies(
                f"{name}: step {index + 1}{who}", walk.step(journey, index, relative), read
            )
        near = "Près de chez vous : " + "x" * 150  # the longest place line (data/contacts.yml)
        for line in (near, contacts.near_line("Clisson"), contacts.near_line(None)):
            yield from _replies(
                f"{name}: after last step{who}", walk.after_last_step(journey, relative, line), read
            )
        yield from _replies(
            f"{name}: before first step{who}", walk.before_first_step(journey, relative), read
        )
    read = f"{day} {journey.id} self"
    yield from _replies(f"{name}: no amount", walk.amounts(replace(journey, amount_lines=())))
    for index in range(walk.NOT_STARTED, len(journey.steps)):
        yield from _replies(f"{name}: documents {index + 1}", walk.documents(journey, index), read)
        yield from _replies(f"{name}: amounts {index + 1}", walk.amounts(journey, index), read)
    for index in range(len(journey.steps)):
        yield from _replies(f"{name}: resume {index + 1}", walk.resume_offer(journey, index), read)
    for acronym, meaning in journey.acronyms.items():
        replies = walk.definition(journey, last, acronym, meaning)
        yield from _replies(f"{name}: definition {acronym}", replies, read)


def journeys() -> Iterator[Sample]:
    for day in SAMPLE_DAYS:
        by_id = journeys_on(day)
        for journey in by_id.values():
            yield from _journey(journey, by_id, day)


def bank() -> Iterator[Sample]:
    """Each answer of the question bank, asked in each of the bank's own ways (an acronym
    the person used is not explained again), then its source line, quoted as it is. The
    plain-language rules hold the answer given to a person who used no acronym (each one
    explained after it); the SMS report measures the answers to the bank's phrasings."""
    journeys = journeys_on(SAMPLE_DAYS[0])
    for question in load_bank():
        journey = journeys[question.journey]
        for asked in (question.question, *question.asks):
            for reply in answered(question, journey, SAMPLE_DAYS[0], asked=asked)[:1]:
                buttons = tuple(dict(b) for b in reply.buttons)
                yield Sample(f"bank: {question.id}", reply.text, buttons, quoted=True)
        answer, *rest = answered(question, journey, SAMPLE_DAYS[0])
        yield Sample(f"bank: {question.id} (no acronym asked)", answer.text, sms=False)
        for reply in rest:
            buttons = tuple(dict(b) for b in reply.buttons)
            yield Sample(f"bank: {question.id} (source)", reply.text, buttons, quoted=True)
    for journey in journeys.values():  # a question the bank is not sure of: two offered
        offered = [q for q in load_bank() if q.journey == journey.id][:2]
        menu = walk.overview(journey, [])[-1]
        reply = maybe_asked(menu, journey, offered)
        yield Sample(
            f"bank: unsure in {journey.id}", reply.text, tuple(dict(b) for b in reply.buttons)
        )


def _speaker() -> Iterator[Sample]:
    yield from _replies("speaker: question", [speaker.question()])
    for who in SPEAKERS:
        label = f"{who.for_whom}/{who.relationship or '-'}"
        yield Sample(f"speaker: acknowledgement {label}", speaker.acknowledgement(who))
    yield Sample("speaker: caregiver rights offer", speaker.CAREGIVER_RIGHTS_OFFER)


def _triage() -> Iterator[Sample]:
    """Every question (self, relative), asked again, refused, plans for many answers."""
    journeys = journeys_on(SAMPLE_DAYS[0])
    for stage in triage_questions.STAGES:
        for for_self, relative in ((True, None), (False, None), (False, LONGEST_RELATIVE)):
            who = "self" if for_self else f"relative {relative or ''}".strip()
            yield from _replies(
                f"triage: question {stage} ({who})",
                triage_questions.question(stage, for_self, relative),
            )
            yield from _replies(
                f"triage: not understood {stage} ({who})",
                triage_questions.not_understood(stage, for_self, relative),
            )
            for verb in ("noté", "corrigé"):
                yield from _replies(
                    f"triage: asked again {stage} ({who}, {verb})",
                    triage_questions.ask_again_plainly(stage, for_self, relative, "Clisson", verb),
                )
    yield from _replies("triage: impossible age", triage_questions.impossible("age", "150"))
    yield from _replies("triage: first question", [walk.Reply(triage_questions.FIRST_QUESTION)])
    for aspect in ("cost", "documents"):
        yield from _replies(f"triage: {aspect} later", triage_questions.aspect_later(aspect))
    for relative, household, residence, yearly in itertools.product(
        (None, LONGEST_RELATIVE, "votre père"),
        ("seul", "couple"),
        ("domicile", "etablissement"),
        (False, True),
    ):
        heard = Facts(age=87, residence=residence, household=household,
                      income=Decimal("1955.60"), income_yearly=yearly)  # fmt: skip
        said = [say_back(heard, relative), "Saint-Philbert-de-Grand-Lieu"]
        yield from _replies("triage: noted", triage_questions.noted(said))
    gir = say_back(Facts(age=87, residence="domicile", household="seul", gir=4), LONGEST_RELATIVE)
    [reply] = triage_questions.noted([gir, "Saint-Philbert-de-Grand-Lieu"])
    yield Sample("triage: noted, with the GIR the person gave", reply.text, quoted=True)
    for need in (NEED_CONSTANT, NEED_DAILY_CARE):  # the help said in words, no GIR
        said_need = say_back(Facts(age=87, household="seul", need=need), LONGEST_RELATIVE)
        [reply] = triage_questions.noted([said_need, "Saint-Philbert-de-Grand-Lieu"])
        yield Sample(f"triage: noted, with the help needed ({need})", reply.text, quoted=True)
    yield from _replies("triage: corrected age", triage_questions.corrected_age(87))
    every_reason = triage.Answers(age=80, need=Need.OCCASIONAL, home=Home.AT_HOME, caregiver=True,
                                  falls=True, cannot_manage_money=True)  # fmt: skip
    for found in triage.recommend(every_reason):  # falls, money: not asked by the triage yet
        yield Sample(f"triage: reason {found.journey}", found.reason)
    skipped = triage_questions.SKIPPED
    for for_whom, age, home, need, postcode in itertools.product(
        ("self", "relative"),
        (82, 55, skipped),
        [h.value for h in Home],
        [n.value for n in Need],
        ("44000", "75001", skipped),
    ):
        answers = {"for_whom": for_whom, "age": age, "home": home, "need": need,
                   "postcode": postcode}  # fmt: skip
        label = f"{for_whom}/{age}/{home}/{need}/{postcode}"
        yield from _replies(f"triage: plan {label}", triage_questions.plan(answers, journeys))


def _estimates() -> Iterator[Sample]:
    """The APA estimate's questions and results for every band, sample incomes, every year;
    the EHPAD one; the offer after the amounts."""
    for who in SPEAKERS:
        label = f"{who.for_whom}/{who.relationship or '-'}"
        for name, replies in (
            ("gir question", apa_estimate.gir_question(who)),
            ("income question", apa_estimate.income_question(who)),
            ("income question, couple", apa_estimate.income_question(who, couple=True)),
            ("household question", apa_estimate.household_question(who)),
            ("household not understood", apa_estimate.household_not_understood(who)),
            ("light need", apa_estimate.light_need(who)),
            ("help not understood", apa_estimate.band_not_understood(who)),
            (
                "help not understood, fact kept",
                apa_estimate.band_not_understood(who, "votre mère, 87 ans, seule, à domicile"),
            ),
        ):
            yield from _replies(f"apa estimate: {name} {label}", replies)
        yield from _replies(f"ehpad estimate: income question {label}",
                            ehpad_estimate.income_question(who))  # fmt: skip
    yield from _replies("apa estimate: income not understood", apa_estimate.income_not_understood())
    yield from _replies("apa estimate: income impossible",
                        apa_estimate.income_impossible(Decimal(60000)))  # fmt: skip
    yield from _replies("ehpad estimate: income not understood",
                        ehpad_estimate.income_not_understood())  # fmt: skip
    for band, income, year in itertools.product(
        apa_estimate.BANDS, SAMPLE_INCOMES, sorted(PARAMETERS_BY_YEAR)
    ):
        source = f"apa estimate: result {band}/{income}/{year}"
        yield from _replies(source, apa_estimate.result(band, income, year))
        if income is not None:  # the longest said-back line: per year, as a couple
            said = apa_estimate.situation(income, True, apa_estimate.COUPLE, LONGEST_RELATIVE)
            couple = apa_estimate.result(
                band, income, year, couple=True, said=said, relative=LONGEST_RELATIVE
            )
            yield from _replies(f"{source} couple, per year", couple)
            said = apa_estimate.situation(income, False, None, LONGEST_RELATIVE)
            alone = apa_estimate.result(band, income, year, said=said, relative=LONGEST_RELATIVE)
            yield from _replies(f"{source} alone, per month", alone)
    yield from _replies("apa estimate: almost nothing to pay", _almost_nothing())
    late = SAMPLE_DAYS[-1]
    yield from _replies("apa estimate: older scale", apa_estimate.stale_notice(late.year - 1, late))
    for income, day in itertools.product(SAMPLE_INCOMES, SAMPLE_DAYS):
        yield from _replies(f"ehpad estimate: {income}/{day}", ehpad_estimate.result(income, day))
    for payload in (apa_estimate.START_PAYLOAD, ehpad_estimate.START_PAYLOAD):
        for relative in (None, LONGEST_RELATIVE):
            offer = apa_estimate.estimate_offer(payload, relative)
            yield from _replies(f"action_journey_cost: estimate offer {relative or ''}", [offer])


def _asked_again() -> Iterator[Sample]:
    """Each question that can wait for its answer, asked again in short after the answer to
    a question of the person's own (seniorplus/dialogue/pending.py)."""
    waiting = [("speaker question", speaker.question())]
    for stage in triage_questions.STAGES:
        for for_self, relative in ((True, None), (False, None), (False, LONGEST_RELATIVE)):
            [asked] = triage_questions.question(stage, for_self, relative)
            waiting.append((f"triage question {stage} ({relative or for_self})", asked))
    for who in SPEAKERS:
        label = f"{who.for_whom}/{who.relationship or '-'}"
        for name, replies in (
            ("apa gir question", apa_estimate.gir_question(who)),
            ("apa household question", apa_estimate.household_question(who)),
            ("apa income question", apa_estimate.income_question(who)),
            ("apa income question, couple", apa_estimate.income_question(who, couple=True)),
            ("ehpad income question", ehpad_estimate.income_question(who)),
        ):
            waiting.extend((f"{name} {label}", reply) for reply in replies)
    for name, question in waiting:
        yield from _replies(f"asked again: {name}", [pending.asked_again(question)])


def _almost_nothing() -> list[walk.Reply]:
    """The result just above the income where the person starts to pay (less than 1 euro)."""
    year = min(PARAMETERS_BY_YEAR)
    for euros in range(600, 2000):
        replies = apa_estimate.result("4", Decimal(euros), year)
        if any("presque rien" in r.text for r in replies):
            return replies
    return []


def _fallback() -> Iterator[Sample]:
    """action_fallback: the rephrase response with the likeliest topics, each topic label."""
    labels = sorted(TOPIC_LABELS, key=lambda intent: len(TOPIC_LABELS[intent]), reverse=True)
    fallback = next(s for s in domain() if "utter_fallback_rephrase" in s.source)
    for first, second in itertools.pairwise([*labels, labels[0]]):
        ranking: list[dict[str, object]] = [
            {"name": first, "confidence": 0.4},
            {"name": second, "confidence": 0.3},
        ]
        yield Sample("action_fallback: rephrase + likeliest topics", fallback.text,
                     tuple(clarification_buttons(ranking)))  # fmt: skip
    longest = max((j.title for j in journeys_on(SAMPLE_DAYS[0]).values()), key=len)
    yield Sample("journeys: the other need of a mixed message", also_about(longest))


def _case_summary(missing: int, status: str, step: bool) -> dict[str, Any]:
    papers = [{"id": f"p{i}", "label": f"Justificatif de revenus numéro {i}"}
              for i in range(missing)]  # fmt: skip
    return {
        "reference": "SP-2026-000123",
        "journey_title": "Allocation personnalisée d'autonomie (APA) à domicile",
        "status_label": STATUS_LABELS[status],
        "missing_documents": papers,
        "next_step": {"title": "Envoyer le dossier au Département"} if step else None,
    }


def _cases() -> Iterator[Sample]:
    yield Sample("cases: database trouble", case_replies.DB_TROUBLE)
    for created, relative in itertools.product((True, False), (None, LONGEST_RELATIVE)):
        summary = _case_summary(5, "ouvert", True)
        yield from _replies("cases: opened", case_replies.opened(summary, created, relative))
    yield from _replies("cases: none open", case_replies.status([]))
    for status, missing in itertools.product(STATUS_LABELS, (0, 1, 5)):
        summaries = [_case_summary(missing, status, True), _case_summary(missing, status, False)]
        yield from _replies(f"cases: status {status}/{missing}", case_replies.status(summaries))
    yield from _replies("cases: not found", case_replies.not_found())
    two = ["Relevé d'identité bancaire (RIB)", "Avis d'imposition"]
    for labels in (two[:1], two):
        noted = case_replies.papers_noted(labels, _case_summary(3, "en_cours", True))
        yield from _replies("cases: papers noted", noted)
    yield from _replies("cases: which journey", case_replies.which_journey())


def _intros() -> list[str]:
    """How propose_slots introduces its slots (seniorplus/booking/service.py), also when the
    time asked for is full."""
    intros = [*booking._INTRO.values(), "Je vous propose un rendez-vous par téléphone :"]
    full = []
    for asked in ("mardi matin", "jeudi 14 h", "la semaine prochaine", "le matin",
                  "l'après-midi", "mercredi après-midi"):  # fmt: skip
        wanted = read_when(asked, NOW)
        if not isinstance(wanted, DateProblem):
            full.append(f"Il n'y a plus de place {wanted.describe()}. {intros[0]}")
    return [*intros, *full]


def _appointments() -> Iterator[Sample]:
    slots = tuple({"title": d.split(", 2 rue")[0], "payload": "/book_appointment"}
                  for d in DESCRIBED)  # fmt: skip
    for message in _intros():
        for by_phone in (True, False):
            reply = appointment_replies.proposal(message, slots, by_phone)
            yield from _replies("appointments: proposal", [reply])
    for described, moved in itertools.product(DESCRIBED, (True, False)):
        reply = appointment_replies.booked(described, "RDV-7KQ4MX", moved)
        yield from _replies("appointments: booked", [reply])
        yield from _replies("appointments: cancelled", [appointment_replies.cancelled(described)])
        yield from _replies("appointments: moving", [appointment_replies.moving(described)])
    yield from _replies("appointments: none to come", [appointment_replies.no_upcoming()])
    yield from _replies("appointments: who", [appointment_replies.who_you_will_meet()])
    upcoming = [(f"RDV-7KQ4M{i}", d) for i, d in enumerate(DESCRIBED)]
    yield from _replies("appointments: which to cancel",
                        [appointment_replies.which_to_cancel(upcoming)])  # fmt: skip


def _data_request() -> Iterator[Sample]:
    yield Sample("data request: code SMS", data_request.CODE_SMS.format(code="482913"))
    for by_voice in (True, False):
        yield from _replies("data request: code sent", data_request.code_sent("55 66", by_voice))
    for tries in (1, 2):
        yield from _replies("data request: code wrong", data_request.code_wrong(tries))
    for name in ("CODE_CANCELLED", "CODE_EXPIRED", "CODE_NO_TRIES_LEFT", "CODE_UNREADABLE",
                 "TOO_MANY_CODES", "NO_SMS_TO_THIS_NUMBER", "NO_SMS_AFTER_STOP", "CODE_NOT_SENT",
                 "NOTHING_KNOWN"):  # fmt: skip
        yield from _replies(f"data request: {name}", getattr(data_request, name))
    cases, appointments = ["SP-2026-000123", "SP-2026-000124"], ["RDV-7KQ4MX"]
    for some in (False, True):
        yield from _replies(
            "data request: confirm erasure",
            data_request.ask_confirmation(cases * some, appointments * some),
        )
        yield from _replies("data request: erased",
                            data_request.erased(cases * some, appointments * some))  # fmt: skip
    menu = [walk.Reply("", (data_request.SEE_BUTTON, data_request.ERASE_BUTTON))]
    yield from _replies("data request: choices", menu)


def dialogue() -> Iterator[Sample]:
    """The wording of seniorplus/dialogue/ (and the estimates it says)."""
    yield from _speaker()
    yield from _triage()
    yield from _estimates()
    yield from _asked_again()
    yield from _fallback()
    yield from _cases()
    yield from _appointments()
    yield from _data_request()


def handoff() -> Iterator[Sample]:
    """What the person reads when a person of the team takes over: each reason, at 10 h, at
    16 h 30 (closing soon), on a Saturday; urgent with and without the numbers just given."""
    hours = OpeningHours.parse(handoff_messages.DEFAULT_TEAM_HOURS)
    moments = (NOW, NOW.replace(hour=15, minute=45), NOW + timedelta(days=5))
    for reason, now, given in itertools.product(HANDOFF_REASONS, moments, (False, True)):
        for text in handoff_messages.handoff_notice(reason, now, hours, emergency_given=given):
            yield Sample(f"handoff: {reason} at {now:%a %H:%M}", text)
    for name in ("TEAM_ALREADY_TOLD", "TEAM_NOT_TOLD", "HAND_BACK"):
        yield Sample(f"handoff: {name}", getattr(handoff_messages, name))
    yield Sample("handoff: Rasa unavailable", UNAVAILABLE_FR)


def notices() -> Iterator[Sample]:
    """Confirmation, move, reminder, cancellation: each mode, a long place, tomorrow."""
    long_name = "France Services Saint-Philbert-de-Grand-Lieu (Maison de l'emploi)"
    for event, mode in itertools.product(EVENTS, ("sur_place", "telephone", "domicile")):
        facts = AppointmentFacts(
            "RDV-7KQ4MX", NOW + timedelta(days=1), mode, "Sophie Martin-Leroy", long_name,
            "2 rue de la Poste", "44310", "Saint-Philbert-de-Grand-Lieu",
        )  # fmt: skip
        yield Sample(f"notice: {event} {mode}", message_for(event, facts, NOW, "RDV-3ABCDE"))
        longest = replace(facts, mediator="Marie-Christine de La Roche-Saint-André-Vasseur " * 4)
        yield Sample(f"notice: {event} {mode}, long names",
                     message_for(event, longest, NOW, "RDV-3ABCDE"))  # fmt: skip


def booking_samples() -> Iterator[Sample]:
    """Days and hours refused ("le 31 février", a Sunday, 3 a.m., too far, passed)."""
    for asked in ("le 31 février", "le 30 février", "le 14/13", "dimanche", "dimanche 14 h",
                  "samedi", "le 25 décembre", "le 25 décembre à 10 h", "mardi à 3 h",
                  "mardi à 20 h", "le 3 décembre", "hier", "aujourd'hui", "le 20 juin",
                  "mardi à 25 h", "lundi 7 décembre à 14 h", "le 5 janvier 2026"):  # fmt: skip
        found = read_when(asked, NOW)
        if isinstance(found, DateProblem):
            yield Sample(f"booking: date refused « {asked} »", found.message)
    for message in _intros():
        yield Sample("booking: no slot", message, (dict(walk.MENU),))


def data_summary() -> Iterator[Sample]:
    """ "Voici ce que je sais sur vous": a caregiver with a case, an appointment, STOP; a
    Telegram user; someone known only by this conversation (rows built without a database)."""
    me = Contact(phone="+33612345566", preferred_channel="sms")
    senior = Contact(display_name="Jeanne Martin-Leroy")
    papers = [CaseDocument(document_id=f"p{i}", label="RIB", status="a_fournir") for i in (1, 2)]
    case = Case(reference="SP-2026-000123", journey="apa_domicile", status="en_attente",
                documents=papers)  # fmt: skip
    closed = Case(reference="SP-2025-000009", journey="apa_domicile", status="clos")
    soon = Appointment(reference="RDV-7KQ4MX", status="reserve", starts_at=NOW + timedelta(3))
    history = (NOW - timedelta(days=40), NOW)
    people = (
        PersonData(me, [(CaregiverLink(relationship="mère"), senior)], [], [case, closed],
                   [soon], [ChannelOptOut()], [], []),
        PersonData(Contact(telegram_chat_id="123456"), [], [], [], [], [], [], []),
        PersonData(Contact(), [], [], [], [], [], [], []),
    )  # fmt: skip
    for data in people:
        text = summary_text(data, history, 183, NOW)
        yield from _replies("data rights: summary", data_request.summary(text))


def safety() -> Iterator[Sample]:
    """The lines of each danger, the question and the channels' own failure texts."""
    for text in safety_lines.every_text():
        yield Sample("safety/lines.py", text)
    answers = ({"title": safety_lines.YES_NOW, "payload": "/affirm"},
               {"title": safety_lines.NOT_NOW, "payload": "/deny"})  # fmt: skip
    yield Sample("safety/lines.py: question", safety_lines.UNKNOWN_QUESTION, answers)


def channels() -> Iterator[Sample]:
    for name, text in channel_wording.every_text():
        yield Sample(f"channels/wording.py: {name}", text)


def voice_pages() -> Iterator[Sample]:
    """What the phone adds to a menu page (said, never sent as SMS)."""
    for text in (MORE_TOPICS, MORE_CHOICES, FIRST_PAGE):
        yield Sample("rendering/voice_pages.py (téléphone)", text)
    titles = [(f"Sujet {n}", f"/ask_{n}") for n in range(1, 10)]
    for page in (0, 1):
        menu = VoiceMenu(tuple(titles), page=page)
        yield Sample("rendering/voice_pages.py (téléphone)", f"{menu.lead()} {menu.said()}")
    other = VoiceMenu((("Oui", "/affirm"), ("Non", "/deny"), *titles[:4]), page=1)
    yield Sample("rendering/voice_pages.py (téléphone)", f"{other.lead()} {other.said()}")
