"""The kinds of danger, and the lines each one calls for (sources: docs/safety.md)."""

from __future__ import annotations

from enum import Enum


class Danger(str, Enum):
    """A kind of danger; its value is what the dialogue and the tests name it."""

    MEDICAL = "medical"  # a fall and cannot get up, unconscious, breathing, chest, stroke…
    SUICIDE = "suicide"  # suicidal thoughts
    SUICIDE_PLAN = "suicide_plan"  # a plan, the means, or an act under way
    VIOLENCE = "violence"  # violence now (outside the couple)
    VIOLENCE_COUPLE = "violence_couple"  # violence in the couple
    MALTREATMENT = "maltreatment"  # abuse of an older person: money, neglect, establishment
    MISSING = "missing"  # a vulnerable person missing, or not seen for days
    GENERAL = "general"  # a call for help without its kind ("au secours")


class Level(str, Enum):
    """What a message's words say about danger now."""

    NONE = "none"  # no word of danger
    CALM = "calm"  # words of danger, but past, chronic, figurative, wished or hypothetical
    UNCLEAR = "unclear"  # words of danger, and nothing says whether it is now
    DANGER = "danger"  # danger now


# The numbers each kind needs (a digit string each; "15|112" means either line).
NUMBERS: dict[Danger, tuple[str, ...]] = {
    Danger.MEDICAL: ("15|112",),
    Danger.SUICIDE: ("3114",),
    Danger.SUICIDE_PLAN: ("3114", "15|112"),
    Danger.VIOLENCE: ("17|112",),
    Danger.VIOLENCE_COUPLE: ("17|112", "3919"),
    Danger.MALTREATMENT: ("3977",),
    Danger.MISSING: ("17|112",),
    Danger.GENERAL: ("15|112",),
}
SMS_RELAY = "114"  # urgences par SMS, for a person who cannot call
