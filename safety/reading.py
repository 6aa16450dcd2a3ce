"""Read a message for danger: which kinds, and whether it is happening now.

For each clause (safety/text.py), figurative phrases are blanked out
(safety/context.py), then every word of danger (safety/triggers.py) is weighed
against the nearest words of time around it:

- negated ("il ne l'a jamais frappée") → calm;
- a wish about one's end ("mourir chez moi") → calm, for suicidal words;
- the nearest marker decides between now ("ce matin", "vient de") and a calming
  one (past, chronic, care already given, "si…"); on a tie, now wins;
- "a fait un AVC" (done, time not said) → unclear at most;
- otherwise a strong word is danger, a weak one unclear (danger with a word of now).

A person said found or there ("je l'ai trouvée par terre", "il est à côté de moi")
is not missing: the words that said so become a medical doubt (context.FOUND).
The message takes the highest level of its words; its kinds are those at that
level. Pure and deterministic: both environments call it (the NLU component, the
dialogue policy, the action, and every channel's safety net).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from safety.classes import Danger, Level
from safety.context import (
    ASKED,
    FOUND,
    GONE_AGAIN,
    NE,
    NEGATED_STATE,
    NEGATION_BEFORE,
    NOT_AFTER_NE,
    RESOLVED,
    WISH,
    Marker,
    markers_in,
    without_figures,
)
from safety.text import clauses
from safety.triggers import (
    AGGRESSOR_AROUND,
    AT_HOME_VICTIM,
    CANNOT_CALL,
    CARE_PLACE,
    COUPLE,
    FAMILY,
    OTHER_AGGRESSOR,
    TRIGGERS,
    Trigger,
)

REACH = 70  # characters: a time said farther from the word of danger is about something else
# How far each kind of marker reaches: "depuis son AVC" or "décédée" belong to their own words,
# a time ("il y a deux ans", "ce matin") to the whole sentence around.
REACH_OF = {Marker.SINCE: 35, Marker.DECEASED: 6, Marker.CARE: 50, Marker.HYPOTHETICAL: 60}
_RANK = {Level.NONE: 0, Level.CALM: 1, Level.UNCLEAR: 2, Level.DANGER: 3}
_ORDER = list(Danger)  # the order in which lines are given: medical first
_SUICIDAL = (Danger.SUICIDE, Danger.SUICIDE_PLAN)


@dataclass(frozen=True)
class Hit:
    danger: Danger
    level: Level
    words: str  # the words that matched, for the tests and the evaluation
    span: tuple[int, int] = (0, 0)  # where, in its clause
    alone: bool = True  # False: counts only with another sign of its kind


@dataclass(frozen=True)
class Reading:
    """What the words of a message say about danger."""

    level: Level = Level.NONE
    dangers: tuple[Danger, ...] = ()
    cannot_call: bool = False  # deaf, no voice, must alert discreetly: the 114 by SMS first
    happening_now: bool = False  # said as happening right now (maltreatment: the 17 too)
    hits: tuple[Hit, ...] = field(default=(), compare=False)

    @property
    def is_danger(self) -> bool:
        return self.level is Level.DANGER

    def as_dict(self) -> dict[str, object]:
        """For the NLU's output and the trackers (plain JSON)."""
        return {
            "level": self.level.value,
            "dangers": [d.value for d in self.dangers],
            "cannot_call": self.cannot_call,
            "now": self.happening_now,
        }

    @classmethod
    def from_dict(cls, data: object) -> Reading | None:
        """The reading kept in a tracker, or None when absent or unreadable."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                Level(data.get("level", "none")),
                tuple(Danger(d) for d in data.get("dangers") or ()),
                bool(data.get("cannot_call")),
                bool(data.get("now")),
            )
        except ValueError:
            return None


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _negated(clause: str, match: re.Match[str], trigger: Trigger) -> bool:
    before = clause[: match.start()].split()
    after = clause[match.end() :].split()
    if NEGATION_BEFORE.search(" ".join(before[-3:])):
        return True
    if trigger.negative:
        return False
    if NEGATED_STATE.search(" ".join(before[-4:]) + " "):
        return True  # "il n'est pas violent", "elle n'a jamais été maltraitée"
    # "il ne la frappe pas": a "ne" just before, its "pas" in the words or just after them
    around = " ".join(before[-4:]) + " " + match.group(0)
    return bool(NE.search(around)) and bool(
        NOT_AFTER_NE.search(match.group(0) + " " + " ".join(after[:2]))
    )


def _calming(trigger: Trigger) -> frozenset[Marker]:
    """The markers that calm this word: an explicit past always; the rest by kind."""
    kinds = {Marker.PAST}
    if trigger.acute:
        kinds |= {Marker.SINCE, Marker.CHRONIC, Marker.CARE}
    if trigger.danger not in _SUICIDAL:
        kinds |= {Marker.HYPOTHETICAL, Marker.DECEASED}
    if trigger.danger is Danger.SUICIDE_PLAN:
        kinds.add(Marker.ACCIDENT)  # "toute la boîte, par erreur": not an act against oneself
    return frozenset(kinds)


def _judge(trigger: Trigger, match: re.Match[str], clause: str) -> tuple[Level, bool]:
    """The level of one word of danger, and whether a word of now is near it."""
    span = (match.start(), match.end())
    if _negated(clause, match, trigger):
        return Level.CALM, False
    if trigger.danger in _SUICIDAL:
        wish = WISH.search(clause)
        if wish and _gap(span, wish.span()) <= REACH:
            return Level.CALM, False
    near = [
        (marker, _gap(span, (start, end)), start <= span[0] and span[1] <= end)
        for marker, start, end in markers_in(clause)
        if _gap(span, (start, end)) <= REACH_OF.get(marker, REACH)
        # a calming marker within the words of danger is theirs ("saigne encore")
        and not (
            span[0] <= start
            and end <= span[1]
            and (start, end) != span
            and marker not in (Marker.NOW, Marker.ALARM)
        )
        # "il me menace si je parle": a condition after a threat does not make it a hypothesis
        and not (marker is Marker.HYPOTHETICAL and not trigger.acute and start > span[0])
    ]
    now = min((d for m, d, _ in near if m in (Marker.NOW, Marker.ALARM)), default=None)
    calming = _calming(trigger)
    calm = min((d for m, d, _ in near if m in calming), default=None)
    if calm is not None and (now is None or calm < now):
        return Level.CALM, False
    if now is None and any(m is Marker.PERFECT and inside for m, _, inside in near):
        return Level.UNCLEAR, False  # "a fait un AVC": done, but when?
    level = Level.DANGER if trigger.strong or now is not None else Level.UNCLEAR
    alarm = any(m is Marker.ALARM for m, _, _ in near)
    if _RANK[level] > _RANK[trigger.ceiling] and not alarm:
        level = trigger.ceiling
    return level, now is not None


def hits_in(text: str) -> list[tuple[Hit, bool]]:
    """Every word of danger of `text` with its level, and whether now was said near it."""
    found: list[tuple[Hit, bool]] = []
    for clause in clauses(text):
        plain = without_figures(clause)
        clause_hits: list[tuple[Hit, bool]] = []
        for trigger in TRIGGERS:
            for match in trigger.pattern.finditer(plain):
                if trigger.not_after is not None and trigger.not_after.search(
                    plain[max(0, match.start() - 30) : match.start()]
                ):
                    continue
                level, now = _judge(trigger, match, plain)
                words = match.group(0).strip()
                hit = Hit(trigger.danger, level, words, match.span(), trigger.alone)
                clause_hits.append((hit, now))
        found.extend(_signs_together(_longest(clause_hits)))
    return _with_means(found)


def _longest(hits: list[tuple[Hit, bool]]) -> list[tuple[Hit, bool]]:
    """Suicidal words inside the longer words of another kind are read as those ("il me
    menace de me tuer" is a threat, not a suicidal word)."""
    return [
        (hit, now)
        for hit, now in hits
        if hit.danger not in _SUICIDAL
        or not any(
            other.danger not in _SUICIDAL
            and other.span[0] <= hit.span[0]
            and hit.span[1] <= other.span[1]
            and other.span != hit.span
            for other, _ in hits
        )
    ]


def _signs_together(hits: list[tuple[Hit, bool]]) -> list[tuple[Hit, bool]]:
    """Two separate signs of one kind in a clause ("tombée… elle saigne") are danger."""
    spans: dict[Danger, list[tuple[int, int]]] = {}
    for hit, _ in hits:
        if hit.level is Level.UNCLEAR and hit.danger is not Danger.GENERAL:
            spans.setdefault(hit.danger, []).append(hit.span)
    together = {d for d, found in spans.items() if _separate(found)}
    return [
        (replace(hit, level=Level.DANGER), now)
        if hit.level is Level.UNCLEAR and hit.danger in together
        else (replace(hit, level=Level.CALM), now)
        if hit.level is Level.UNCLEAR and not hit.alone
        else (hit, now)
        for hit, now in hits
    ]


def _separate(spans: list[tuple[int, int]]) -> bool:
    """Whether two of these spans do not overlap."""
    return any(_gap(a, b) > 0 for i, a in enumerate(spans) for b in spans[i + 1 :])


def _with_means(found: list[tuple[Hit, bool]]) -> list[tuple[Hit, bool]]:
    """Means gathered ("j'ai gardé mes cachets") are a plan when suicidal words are said too."""
    suicidal = any(hit.danger is Danger.SUICIDE and hit.level is not Level.CALM for hit, _ in found)
    if not suicidal:  # "j'ai tout préparé pour le dossier" is not a plan
        return [
            (hit, now)
            for hit, now in found
            if not (hit.danger is Danger.SUICIDE_PLAN and hit.level is Level.UNCLEAR)
        ]
    return [
        (replace(hit, level=Level.DANGER), now)
        if hit.danger is Danger.SUICIDE_PLAN and hit.level is Level.UNCLEAR
        else (hit, now)
        for hit, now in found
    ]


@lru_cache(maxsize=2048)
def read_danger(text: str) -> Reading:
    """What the words of `text` say about danger (see the module's docstring)."""
    found = _found_again(text or "", hits_in(text or ""))
    if not found:
        return Reading()
    top = max(_RANK[hit.level] for hit, _ in found)
    level = next(lvl for lvl, rank in _RANK.items() if rank == top)
    at_top = [(hit, now) for hit, now in found if hit.level is level]
    dangers = {hit.danger for hit, _ in at_top}
    whole = " ".join(without_figures(c) for c in clauses(text))
    if level is Level.UNCLEAR and dangers == {Danger.MEDICAL} and RESOLVED.search(whole):
        level = Level.CALM  # "elle est tombée hier, mais elle va bien"
    if level is not Level.CALM:
        dangers = _refine(dangers, found, whole)
    now = any(now for _, now in at_top)
    return Reading(
        level=level,
        dangers=tuple(d for d in _ORDER if d in dangers),
        cannot_call=bool(CANNOT_CALL.search(whole)),
        happening_now=now,
        hits=tuple(hit for hit, _ in found),
    )


def _found_again(text: str, found: list[tuple[Hit, bool]]) -> list[tuple[Hit, bool]]:
    """A person said found, or there, is not missing: the words that said so ("ne répond
    plus depuis ce matin") become a doubt about their health, and a danger with another
    sign of it ("… je suis passée, il est tombé"), unless they are well ("elle va bien").
    Only the missing kind changes: every other word keeps its reading."""
    missing = [h for h, _ in found if h.danger is Danger.MISSING and h.level is not Level.CALM]
    if not missing or not _is_found(text):
        return found
    whole = " ".join(without_figures(c) for c in clauses(text))
    sign = any(hit.danger is Danger.MEDICAL and hit.level is not Level.CALM for hit, _ in found)
    level = Level.DANGER if sign and not RESOLVED.search(whole) else Level.UNCLEAR
    return [
        (replace(hit, danger=Danger.MEDICAL, level=level), now) if hit in missing else (hit, now)
        for hit, now in found
    ]


def _is_found(text: str) -> bool:
    """Whether the message says the person is found or there, now: not in the past or as a
    question ("l'an dernier on l'a retrouvée", "je ne sais pas si elle est là"), and not gone
    again after it ("on l'a retrouvée hier, mais ce matin elle est repartie")."""
    last_found: tuple[int, int] | None = None
    last_gone: tuple[int, int] | None = None
    for index, clause in enumerate(clauses(text)):
        plain = without_figures(clause)
        markers = markers_in(plain)
        for match in FOUND.finditer(plain):
            if ASKED.search(plain[: match.start()].rstrip()):
                continue
            span = match.span()
            # a time within the words is theirs ("il est encore par terre")
            around = [(m, s, e) for m, s, e in markers if not (span[0] <= s and e <= span[1])]
            now = min((_gap(span, (s, e)) for m, s, e in around if m is Marker.NOW), default=None)
            then = min(
                (
                    _gap(span, (s, e))
                    for m, s, e in around
                    if m in (Marker.PAST, Marker.CHRONIC, Marker.HYPOTHETICAL)
                    and _gap(span, (s, e)) <= REACH_OF.get(m, REACH)
                ),
                default=None,
            )
            if then is not None and (now is None or then < now):
                continue  # "l'an dernier on l'a retrouvée", "elle est chez moi depuis un mois"
            last_found = (index, match.start())
        for match in GONE_AGAIN.finditer(plain):
            last_gone = (index, match.start())
    return last_found is not None and (last_gone is None or last_gone < last_found)


def _refine(dangers: set[Danger], found: list[tuple[Hit, bool]], whole: str) -> set[Danger]:
    """Kinds that sharpen each other: a couple, an act with suicidal words, a bare call."""
    suicidal = any(hit.danger in _SUICIDAL and hit.level is not Level.CALM for hit, _ in found)
    if Danger.VIOLENCE in dangers and (CARE_PLACE.search(whole) or FAMILY.search(whole)):
        dangers |= {Danger.MALTREATMENT}  # an older person hurt by carers or by their family
    if Danger.VIOLENCE in dangers and (
        COUPLE.search(whole)
        or (
            AT_HOME_VICTIM.search(whole)
            and AGGRESSOR_AROUND.search(whole)
            and not OTHER_AGGRESSOR.search(whole)
        )
    ):
        # in the couple, or "il m'a frappée… il est dans la cuisine" with no one else named
        dangers = (dangers - {Danger.VIOLENCE}) | {Danger.VIOLENCE_COUPLE}
    if (
        suicidal
        and (Danger.MEDICAL in dangers or Danger.SUICIDE in dangers)
        and any(hit.danger is Danger.MEDICAL and hit.level is Level.DANGER for hit, _ in found)
    ):
        dangers |= {Danger.SUICIDE_PLAN}
    if Danger.SUICIDE_PLAN in dangers:
        dangers.discard(Danger.SUICIDE)
    if len(dangers) > 1:
        dangers.discard(Danger.GENERAL)
    return dangers
