"""Senior Plus: case-management core, web app and shared code of the app environment."""

__version__ = "0.1.0"
