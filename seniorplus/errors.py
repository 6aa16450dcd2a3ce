"""Domain error hierarchy: code catches these, never vendor exceptions."""


class SeniorPlusError(Exception):
    """Base class of every Senior Plus domain error."""


class ConfigurationError(SeniorPlusError):
    """The environment is missing a setting or holds an unsafe value."""
