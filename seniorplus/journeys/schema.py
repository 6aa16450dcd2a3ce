"""Journey files (``data/journeys/*.yml``): typed model and strict validation.

The schema is described in ``docs/journeys.md``. Every rule below fails with a
:class:`JourneyError` naming the file and the field, so a content editor can fix
the YAML without reading Python. Pure: standard library and PyYAML only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from seniorplus.errors import SeniorPlusError

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "journeys"

# The 31 intents of ../shared/spec/intents.md (the NLU contract).
CONTRACT_INTENTS: frozenset[str] = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "help",
        "repeat",
        "next_step",
        "previous_step",
        "request_human",
        "report_autonomy_loss",
        "ask_apa",
        "ask_retirement_fund_help",
        "ask_nursing_home",
        "ask_home_adaptation",
        "ask_caregiver_support",
        "ask_legal_protection",
        "ask_mobility_card",
        "ask_home_services",
        "ask_documents",
        "ask_cost",
        "start_application",
        "check_case_status",
        "book_appointment",
        "cancel_appointment",
        "reschedule_appointment",
        "inform",
        "report_emergency",
        "delete_my_data",
        "bot_challenge",
        "out_of_scope",
    }
)

TITLE_MAX_CHARS = 40
TEXT_MAX_CHARS = 300
MIN_STEPS = 3
MAX_STEPS = 8
MAX_AVERAGE_SENTENCE_WORDS = 15
# In a step's `for_relative` text, the person helped ("votre mère", "votre proche").
RELATIVE_PLACEHOLDER = "{proche}"
LONGEST_RELATIVE = "votre grand-mère"

# Characters that cost two septets in GSM-7 (€) or switch a whole SMS to UCS-2
# (typographic quotes, apostrophes, ellipsis, dashes, non-breaking spaces):
# domain brief §15. Value = what to write instead.
FORBIDDEN_CHARACTERS: Mapping[str, str] = MappingProxyType(
    {
        "€": "euros",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "’": "'",
        "‘": "'",
        "…": "...",
        "–": "-",
        "—": "-",
        "\u00a0": "a normal space",
        "\u202f": "a normal space",
    }
)

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# An acronym: two or more capitals, possibly hyphenated (GIR, EHPAD, HT-SH).
_ACRONYM_RE = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]{2,})*\b")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
# A dated figure in a text: "{montant:apa_repit_aidant}" (data/figures.yml).
_FIGURE_PLACEHOLDER_RE = re.compile(r"\{montant:[a-z][a-z0-9_]*\}")

_T = TypeVar("_T")


class JourneyError(SeniorPlusError):
    """A journey file is missing, unreadable or breaks the schema of docs/journeys.md."""


@dataclass(frozen=True)
class Question:
    """A triage question that decides whether the journey applies."""

    id: str
    text: str
    why: str


@dataclass(frozen=True)
class Step:
    """One step of the procedure, in order."""

    id: str
    title: str
    text: str
    where: str | None = None
    deadline: str | None = None
    documents: tuple[str, ...] = ()
    for_relative: str | None = None  # the same step told to a caregiver; "{proche}" = the senior
    contact: str | None = None  # id in data/contacts.yml, told with the step
    contact_line: str | None = None  # what is said for it, set by journeys.today

    def text_for(self, relative: str | None) -> str:
        """The step as told to the senior (None) or to a caregiver ("votre mère")."""
        if relative is None or self.for_relative is None:
            return self.text
        return self.for_relative.replace(RELATIVE_PLACEHOLDER, relative)


@dataclass(frozen=True)
class Document:
    """A paper to gather; ``when`` says in which case it is needed."""

    id: str
    label: str
    when: str | None = None


@dataclass(frozen=True)
class Pitfall:
    """A mistake to avoid; told with its step (``step`` id), or after the last step."""

    text: str
    step: str | None = None


@dataclass(frozen=True)
class Change:
    """Texts that replace others from a given day (the CMI after 31 December 2026)."""

    from_day: date
    overview: str | None
    steps: Mapping[str, Mapping[str, str]]
    eligibility: tuple[str, ...] | None
    pitfalls: tuple[Pitfall, ...] | None


@dataclass(frozen=True)
class Journey:
    """A validated journey file."""

    id: str
    title: str
    intent: str
    last_checked: date
    overview: str
    acronyms: Mapping[str, str]
    eligibility: tuple[str, ...]
    questions: tuple[Question, ...]
    steps: tuple[Step, ...]
    documents: tuple[Document, ...]
    amounts: tuple[str, ...]  # keys of data/figures.yml
    contacts: tuple[str, ...]  # ids of data/contacts.yml
    pitfalls: tuple[Pitfall, ...]
    sources: tuple[str, ...]
    changes: tuple[Change, ...] = ()
    # Set by seniorplus.journeys.today for the day of the conversation:
    amount_lines: tuple[str, ...] = ()  # "- label : amount (year)." or with the check phrase
    contact_lines: tuple[str, ...] = ()  # the journey's contacts as said

    def step_pitfalls(self, step: Step) -> tuple[str, ...]:
        """The pitfalls to tell with this step."""
        return tuple(p.text for p in self.pitfalls if p.step == step.id)

    @property
    def closing_pitfalls(self) -> tuple[str, ...]:
        """The pitfalls tied to no step, told after the last one."""
        return tuple(p.text for p in self.pitfalls if p.step is None)

    def document(self, document_id: str) -> Document:
        """The document with this id (KeyError if unknown)."""
        for document in self.documents:
            if document.id == document_id:
                return document
        raise KeyError(document_id)

    def step_documents(self, step: Step) -> tuple[Document, ...]:
        """The documents a step asks for, in the step's order."""
        return tuple(self.document(document_id) for document_id in step.documents)


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing duplicate keys (it silently keeps the last one)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, Hashable):
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


class _File:
    """Reads typed fields from one file's YAML data; every error names file and field."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # (field, text) of every user-facing text, for the cross-field checks.
        self.texts: list[tuple[str, str]] = []

    def error(self, field: str, problem: str) -> JourneyError:
        return JourneyError(f"{self.path}: {field or 'top level'}: {problem}")

    def mapping(
        self, value: object, field: str, required: set[str], optional: frozenset[str] = frozenset()
    ) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error(field, f"must be a mapping, got {_kind(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.error(field, f"key {key!r} must be a string")
        missing = sorted(required - value.keys())
        if missing:
            raise self.error(_join(field, missing[0]), "required field is missing")
        unknown = sorted(value.keys() - required - optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            raise self.error(_join(field, unknown[0]), f"unknown field (allowed: {allowed})")
        return value

    def text(self, value: object, field: str, max_chars: int | None = None) -> str:
        """A user-facing text: non-empty, SMS-safe, within ``max_chars``."""
        if not isinstance(value, str):
            raise self.error(field, f"must be a text, got {_kind(value)} (quote it in YAML)")
        text = value.strip()
        if not text:
            raise self.error(field, "must not be empty")
        for char, instead in FORBIDDEN_CHARACTERS.items():
            if char in text:
                raise self.error(field, f"forbidden character {char!r} (write {instead} instead)")
        if max_chars is not None and len(text) > max_chars:
            raise self.error(field, f"{len(text)} characters, at most {max_chars} allowed")
        self.texts.append((field, text))
        return text

    def optional_text(self, data: Mapping[str, object], key: str, field: str) -> str | None:
        return self.text(data[key], _join(field, key)) if key in data else None

    def texts_list(self, value: object, field: str, allow_empty: bool = False) -> tuple[str, ...]:
        items = self.sequence(value, field, allow_empty)
        return tuple(self.text(item, f"{field}[{index}]") for index, item in enumerate(items))

    def identifier(self, value: object, field: str) -> str:
        if not isinstance(value, str) or not _ID_RE.fullmatch(value):
            raise self.error(field, f"{value!r} is not a snake_case id")
        return value

    def boolean(self, value: object, field: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(field, f"must be true or false, got {value!r}")
        return value

    def url(self, value: object, field: str, schemes: tuple[str, ...] = ("https",)) -> str:
        prefixes = tuple(f"{scheme}://" for scheme in schemes)
        if (
            not isinstance(value, str)
            or not value.startswith(prefixes)
            or len(value) <= len(prefixes[0]) + 3
            or any(char.isspace() for char in value)
        ):
            expected = " or ".join(prefixes)
            raise self.error(field, f"{value!r} is not a URL starting with {expected}")
        return value

    def sequence(self, value: object, field: str, allow_empty: bool = False) -> list[object]:
        if not isinstance(value, list):
            raise self.error(field, f"must be a list, got {_kind(value)}")
        if not value and not allow_empty:
            raise self.error(field, "must not be empty")
        return value

    def records(
        self,
        value: object,
        field: str,
        build: Callable[[object, str], _T],
        key: Callable[[_T], str],
        allow_empty: bool = True,
    ) -> tuple[_T, ...]:
        """A list of records with a unique ``key`` (their id)."""
        records: list[_T] = []
        seen: set[str] = set()
        for index, item in enumerate(self.sequence(value, field, allow_empty)):
            record = build(item, f"{field}[{index}]")
            if key(record) in seen:
                raise self.error(f"{field}[{index}].id", f"duplicate id {key(record)!r}")
            seen.add(key(record))
            records.append(record)
        return tuple(records)


_JOURNEY_REQUIRED = {
    "id",
    "title",
    "intent",
    "last_checked",
    "overview",
    "eligibility",
    "steps",
    "sources",
}
_JOURNEY_OPTIONAL = frozenset(
    {"acronyms", "questions", "documents", "amounts", "contacts", "pitfalls", "changes"}
)


def load_yaml(path: Path, error: type[JourneyError] = JourneyError) -> object:
    """A content file's YAML data (safe loader, duplicate keys refused)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the file: {exc}") from exc
    try:
        # A SafeLoader subclass: same safety as yaml.safe_load, plus duplicate keys refused.
        return yaml.load(raw, Loader=_UniqueKeyLoader)  # noqa: S506  (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise error(f"{path}: invalid YAML: {exc}") from exc


def parse_date(value: object, where: str, error: type[JourneyError] = JourneyError) -> date:
    """A YAML date (or ISO text); ``error`` naming ``where`` otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise error(f"{where}: {value!r} is not a date (write YYYY-MM-DD)")


def load_journey(path: str | Path) -> Journey:
    """Read and validate one journey file.

    Raises:
        JourneyError: the file cannot be read or breaks a rule of docs/journeys.md.
    """
    path = Path(path)
    return _parse(_File(path), load_yaml(path))


def load_all(directory: str | Path | None = None) -> dict[str, Journey]:
    """Load every ``*.yml`` / ``*.yaml`` journey of ``directory`` (default: data/journeys).

    Returns the journeys by id, in file name order.

    Raises:
        JourneyError: the directory is missing or one file is invalid.
    """
    folder = DEFAULT_DIRECTORY if directory is None else Path(directory)
    if not folder.is_dir():
        raise JourneyError(f"{folder}: journey directory not found")
    paths = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
    journeys: dict[str, Journey] = {}
    for path in paths:
        journey = load_journey(path)
        if journey.id in journeys:
            raise JourneyError(f"{path}: id: duplicate journey id {journey.id!r}")
        journeys[journey.id] = journey
    return journeys


def _parse(file: _File, data: object) -> Journey:
    top = file.mapping(data, "", _JOURNEY_REQUIRED, _JOURNEY_OPTIONAL)

    journey_id = file.identifier(top["id"], "id")
    if journey_id != file.path.stem:
        raise file.error("id", f"{journey_id!r} must equal the file name {file.path.stem!r}")
    intent = top["intent"]
    if not isinstance(intent, str) or intent not in CONTRACT_INTENTS:
        raise file.error("intent", f"{intent!r} is not an intent of the contract (intents.md)")

    title = file.text(top["title"], "title", TITLE_MAX_CHARS)
    last_checked = _date(file, top["last_checked"], "last_checked")
    overview = file.text(top["overview"], "overview", TEXT_MAX_CHARS)
    acronyms = _acronyms(file, top.get("acronyms", {}))
    eligibility = file.texts_list(top["eligibility"], "eligibility")
    questions = file.records(
        top.get("questions", []), "questions", lambda v, f: _question(file, v, f), _id_of
    )
    documents = file.records(
        top.get("documents", []), "documents", lambda v, f: _document(file, v, f), _id_of
    )
    steps = file.records(
        top["steps"], "steps", lambda v, f: _step(file, v, f), _id_of, allow_empty=False
    )
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise file.error("steps", f"{len(steps)} steps, {MIN_STEPS} to {MAX_STEPS} expected")
    known_documents = {document.id for document in documents}
    for index, step in enumerate(steps):
        for position, document_id in enumerate(step.documents):
            if document_id not in known_documents:
                raise file.error(
                    f"steps[{index}].documents[{position}]",
                    f"unknown document {document_id!r} (not in documents)",
                )
    amounts = _identifiers(file, top.get("amounts", []), "amounts")
    contacts = _identifiers(file, top.get("contacts", []), "contacts")
    step_ids = {step.id for step in steps}
    pitfalls = _pitfalls(file, top.get("pitfalls", []), "pitfalls", step_ids)
    changes = tuple(
        _change(file, item, f"changes[{index}]", step_ids)
        for index, item in enumerate(file.sequence(top.get("changes", []), "changes", True))
    )
    sources = tuple(
        file.url(item, f"sources[{index}]", ("https", "http"))
        for index, item in enumerate(file.sequence(top["sources"], "sources"))
    )
    _check_acronyms_explained(file, acronyms)

    return Journey(
        id=journey_id,
        title=title,
        intent=intent,
        last_checked=last_checked,
        overview=overview,
        acronyms=acronyms,
        eligibility=eligibility,
        questions=questions,
        steps=steps,
        documents=documents,
        amounts=amounts,
        contacts=contacts,
        pitfalls=pitfalls,
        sources=sources,
        changes=changes,
    )


def _date(file: _File, value: object, field: str) -> date:
    return parse_date(value, f"{file.path}: {field}")


def _identifiers(file: _File, value: object, field: str) -> tuple[str, ...]:
    items = file.sequence(value, field, allow_empty=True)
    ids = tuple(file.identifier(item, f"{field}[{index}]") for index, item in enumerate(items))
    if len(set(ids)) != len(ids):
        raise file.error(field, "the same id is given twice")
    return ids


def _pitfalls(file: _File, value: object, field: str, step_ids: set[str]) -> tuple[Pitfall, ...]:
    """Plain texts (told after the last step) or ``{step: id, text: ...}``."""
    pitfalls = []
    for index, item in enumerate(file.sequence(value, field, allow_empty=True)):
        where = f"{field}[{index}]"
        if isinstance(item, dict):
            data = file.mapping(item, where, {"step", "text"})
            step = file.identifier(data["step"], _join(where, "step"))
            if step not in step_ids:
                raise file.error(_join(where, "step"), f"unknown step {step!r}")
            pitfalls.append(Pitfall(file.text(data["text"], _join(where, "text")), step))
        else:
            pitfalls.append(Pitfall(file.text(item, where)))
    return tuple(pitfalls)


_CHANGEABLE_STEP_FIELDS = frozenset({"title", "text", "for_relative", "where", "deadline"})


def _change(file: _File, value: object, field: str, step_ids: set[str]) -> Change:
    data = file.mapping(
        value, field, {"from"}, frozenset({"overview", "steps", "eligibility", "pitfalls"})
    )
    steps: dict[str, Mapping[str, str]] = {}
    raw_steps = data.get("steps", {})
    if not isinstance(raw_steps, dict):
        raise file.error(_join(field, "steps"), "must be a mapping of step id to fields")
    for step_id, fields in raw_steps.items():
        where = f"{field}.steps.{step_id}"
        if step_id not in step_ids:
            raise file.error(where, f"unknown step {step_id!r}")
        changed = file.mapping(fields, where, set(), _CHANGEABLE_STEP_FIELDS)
        texts = {}
        for key, text in changed.items():
            if key in ("text", "for_relative"):
                texts[key] = _step_text(file, text, _join(where, key))
            else:
                texts[key] = file.text(
                    text, _join(where, key), TITLE_MAX_CHARS if key == "title" else None
                )
        if "for_relative" in texts:
            _check_relative_placeholder(file, texts["for_relative"], _join(where, "for_relative"))
        steps[str(step_id)] = MappingProxyType(texts)
    return Change(
        from_day=_date(file, data["from"], _join(field, "from")),
        overview=(
            file.text(data["overview"], _join(field, "overview"), TEXT_MAX_CHARS)
            if "overview" in data
            else None
        ),
        steps=MappingProxyType(steps),
        eligibility=(
            file.texts_list(data["eligibility"], _join(field, "eligibility"))
            if "eligibility" in data
            else None
        ),
        pitfalls=(
            _pitfalls(file, data["pitfalls"], _join(field, "pitfalls"), step_ids)
            if "pitfalls" in data
            else None
        ),
    )


def _acronyms(file: _File, value: object) -> Mapping[str, str]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise file.error("acronyms", f"must be a mapping, got {_kind(value)}")
    acronyms: dict[str, str] = {}
    for key, meaning in value.items():
        if not isinstance(key, str) or not key.strip():
            raise file.error("acronyms", f"key {key!r} must be a non-empty text")
        acronyms[key] = file.text(meaning, f"acronyms.{key}")
    return MappingProxyType(acronyms)


def _question(file: _File, value: object, field: str) -> Question:
    data = file.mapping(value, field, {"id", "text", "why"})
    return Question(
        id=file.identifier(data["id"], _join(field, "id")),
        text=file.text(data["text"], _join(field, "text"), TEXT_MAX_CHARS),
        why=file.text(data["why"], _join(field, "why"), TEXT_MAX_CHARS),
    )


def _step(file: _File, value: object, field: str) -> Step:
    data = file.mapping(
        value,
        field,
        {"id", "title", "text"},
        frozenset({"where", "deadline", "documents", "for_relative", "contact"}),
    )
    text = _step_text(file, data["text"], _join(field, "text"))
    for_relative = None
    if "for_relative" in data:
        for_relative = _step_text(file, data["for_relative"], _join(field, "for_relative"))
        _check_relative_placeholder(file, for_relative, _join(field, "for_relative"))
    documents_field = _join(field, "documents")
    documents = file.sequence(data.get("documents", []), documents_field, allow_empty=True)
    return Step(
        id=file.identifier(data["id"], _join(field, "id")),
        title=file.text(data["title"], _join(field, "title"), TITLE_MAX_CHARS),
        text=text,
        for_relative=for_relative,
        where=file.optional_text(data, "where", field),
        contact=(
            file.identifier(data["contact"], _join(field, "contact")) if "contact" in data else None
        ),
        deadline=file.optional_text(data, "deadline", field),
        documents=tuple(
            file.identifier(item, f"{documents_field}[{index}]")
            for index, item in enumerate(documents)
        ),
    )


def _step_text(file: _File, value: object, field: str) -> str:
    text = file.text(value, field, TEXT_MAX_CHARS)
    average = _average_sentence_words(text)
    if average > MAX_AVERAGE_SENTENCE_WORDS:
        raise file.error(
            field, f"sentences average {average:.1f} words, at most {MAX_AVERAGE_SENTENCE_WORDS}"
        )
    return text


def _check_relative_placeholder(file: _File, text: str, field: str) -> None:
    """`{proche}` at least once, no other braces, and short enough once filled in."""
    if RELATIVE_PLACEHOLDER not in text:
        raise file.error(field, f"must name the person helped as {RELATIVE_PLACEHOLDER}")
    if re.search(r"[{}]", _FIGURE_PLACEHOLDER_RE.sub("", text.replace(RELATIVE_PLACEHOLDER, ""))):
        raise file.error(field, f"only the {RELATIVE_PLACEHOLDER} placeholder is allowed")
    filled = text.replace(RELATIVE_PLACEHOLDER, LONGEST_RELATIVE)
    if len(filled) > TEXT_MAX_CHARS:
        raise file.error(
            field, f"{len(filled)} characters once filled in, at most {TEXT_MAX_CHARS}"
        )


def _document(file: _File, value: object, field: str) -> Document:
    data = file.mapping(value, field, {"id", "label"}, frozenset({"when"}))
    return Document(
        id=file.identifier(data["id"], _join(field, "id")),
        label=file.text(data["label"], _join(field, "label")),
        when=file.optional_text(data, "when", field),
    )


def _check_acronyms_explained(file: _File, acronyms: Mapping[str, str]) -> None:
    """Every acronym in a user-facing text must be explained in ``acronyms``.

    Contacts are left out: an organisation's name (CARENE, MDPH 44) is how users find it.
    """
    for field, text in file.texts:
        if field.startswith("contacts["):
            continue
        for match in _ACRONYM_RE.finditer(text):
            if match.group() not in acronyms:
                raise file.error(field, f"acronym {match.group()!r} is not explained in acronyms")


def _average_sentence_words(text: str) -> float:
    sentences = [sentence for sentence in _SENTENCE_END_RE.split(text) if sentence.strip()]
    return len(text.split()) / max(len(sentences), 1)


def _id_of(record: Question | Step | Document) -> str:
    return record.id


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
