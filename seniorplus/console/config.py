"""The console's constants, and its settings: the ``console`` section of the one object.

``ConsoleSettings`` (``CONSOLE_*``, ``TRUSTED_PROXIES``) lives in `seniorplus.settings`;
every value has a default and a malformed one stops the start (`ConfigurationError`).
"""

from __future__ import annotations

from seniorplus.settings import ConsoleSettings as ConsoleSettings  # the console's section
from seniorplus.settings import get_settings

COOKIE_NAME = "sp_console"
# Path "/" and not "/console": the console's JavaScript may call the JSON API at /api
# with the same session (seniorplus.web.api.console_auth). SameSite=Strict keeps it first-party.
COOKIE_PATH = "/"
LOGIN_CSRF_COOKIE = "sp_console_login"
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256


def console_settings() -> ConsoleSettings:
    """The console section of this process's settings."""
    return get_settings().console
