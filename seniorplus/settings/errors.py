"""Pydantic's validation errors said as one ConfigurationError: each variable named, no value.

Pydantic's own text repeats the input (``input_value='...'``), which may be a secret;
here each problem is the variable's name and what it must be, in French.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from seniorplus.errors import ConfigurationError

_WHAT = {
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "bool_parsing": "doit valoir 1 ou 0 (true/false, on/off)",
    "bool_type": "doit valoir 1 ou 0 (true/false, on/off)",
    "greater_than": "doit être supérieur à {gt}",
    "less_than_equal": "doit valoir au plus {le}",
    "literal_error": "n'accepte que {expected}",
    "missing": "manque",
}


class SettingsError(ConfigurationError):
    """Malformed settings; ``problems`` lists them one by one (French, no value)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _variable(location: tuple[int | str, ...]) -> str:
    names = [part for part in location if isinstance(part, str)]
    variables = [name for name in names if name.isupper()]
    return (variables or names or ["?"])[-1]


def _problem(error: Any) -> str:
    if error["type"] == "value_error":  # our own readers' messages, which name the variable
        return str(error["ctx"]["error"])
    template = _WHAT.get(error["type"], "a une valeur refusée")
    try:
        what = template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        what = template
    return f"{_variable(error['loc'])} {what}."


def configuration_error(exc: ValidationError) -> SettingsError:
    """One error listing every problem of ``exc``; never the values themselves."""
    problems: list[str] = []
    for error in exc.errors(include_url=False, include_input=False):
        problem = _problem(error)
        if problem not in problems:
            problems.append(problem)
    return SettingsError(problems)
