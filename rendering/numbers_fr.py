"""French number words, traditional spelling (the one of the Académie before 1990).

Hyphens join tens and units below one hundred except around "et" ("vingt et un",
"soixante-douze", "quatre-vingt-un"); no hyphen around "cent", "mille",
"million". "vingt" and "cent" take an "s" when multiplied and ending the number
("quatre-vingts", "deux cents") but not before "mille" ("quatre-vingt mille");
"mille" never does; "million" and "milliard" are nouns ("deux millions").
"""

from __future__ import annotations

UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
    "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
DIGIT_NAMES = UNITS[:10]
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
MAX_NUMBER = 999_999_999_999


def _below_100(number: int) -> str:
    if number < 20:
        return UNITS[number]
    tens, unit = divmod(number, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: 60/80 + 10..19
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = UNITS[10 + unit]
        return f"{base} et {rest}" if number == 71 else f"{base}-{rest}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{UNITS[unit]}"
    if unit == 0:
        return TENS[tens]
    if unit == 1:
        return f"{TENS[tens]} et un"
    return f"{TENS[tens]}-{UNITS[unit]}"


def _below_1000(number: int, before_mille: bool = False) -> str:
    """0 < number < 1000; `before_mille` drops the plural "s" of "cents"/"quatre-vingts"."""
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds:
        plural = hundreds > 1 and rest == 0 and not before_mille
        words.append(("cent" if hundreds == 1 else f"{UNITS[hundreds]} cent") + "s" * plural)
    if rest:
        tens_words = _below_100(rest)
        if before_mille and tens_words.endswith("quatre-vingts"):
            tens_words = tens_words[:-1]
        words.append(tens_words)
    return " ".join(words)


def number_to_words(number: int, feminine: bool = False) -> str:
    """0 → "zéro", 81 → "quatre-vingt-un", 200 → "deux cents", 2080 → "deux mille
    quatre-vingts"; `feminine` ends "un" as "une" ("vingt et une heures")."""
    if not 0 <= number <= MAX_NUMBER:
        raise ValueError(f"{number} is out of range 0..{MAX_NUMBER}")
    if number == 0:
        return UNITS[0]
    billions, rest = divmod(number, 1_000_000_000)
    millions, rest = divmod(rest, 1_000_000)
    thousands, rest = divmod(rest, 1000)
    words = []
    for count, noun in ((billions, "milliard"), (millions, "million")):
        if count:
            words.append(f"{_below_1000(count)} {noun}" + "s" * (count > 1))
    if thousands:
        words.append("mille" if thousands == 1 else f"{_below_1000(thousands, True)} mille")
    if rest:
        words.append(_below_1000(rest))
    spoken = " ".join(words)
    if feminine and (spoken == "un" or spoken.endswith((" un", "-un"))):
        spoken += "e"
    return spoken


def ordinal_to_words(number: int, feminine: bool = False) -> str:
    """1 → "premier" ("première"), 2 → "deuxième", 21 → "vingt et unième"."""
    if number < 1:
        raise ValueError(f"{number} has no ordinal")
    if number == 1:
        return "première" if feminine else "premier"
    cardinal = number_to_words(number)
    head, last = _split_last_word(cardinal)
    if last in ("vingts", "cents", "millions", "milliards"):
        last = last[:-1]
    if last == "cinq":
        last = "cinqu"
    elif last == "neuf":
        last = "neuv"
    elif last.endswith("e"):
        last = last[:-1]
    return f"{head}{last}ième"


def _split_last_word(words: str) -> tuple[str, str]:
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    return words[:cut], words[cut:]


def digits_to_words(digits: str) -> str:
    """One word per digit: 0123 → "zéro un deux trois"."""
    return " ".join(DIGIT_NAMES[int(digit)] for digit in digits if digit.isdigit())


def digit_group_to_words(group: str) -> str:
    """A group as a number, its leading zeros said one by one: "02" → "zéro deux",
    "40" → "quarante", "808" → "huit cent huit", "00" → "zéro zéro"."""
    stripped = group.lstrip("0")
    if stripped and int(stripped) > MAX_NUMBER:
        return digits_to_words(group)
    zeros = [UNITS[0]] * (len(group) - len(stripped))
    return " ".join([*zeros, number_to_words(int(stripped))] if stripped else zeros)


def decimal_to_words(integer_part: str, decimal_part: str) -> str:
    """Integer and decimal digits: 4,5 → "quatre virgule cinq", 1,05 → "un virgule zéro cinq"."""
    whole = number_to_words(int(integer_part))
    return f"{whole} virgule {digit_group_to_words(decimal_part)}" if decimal_part else whole


def month_name(month: int) -> str:
    return MONTHS[month - 1]
