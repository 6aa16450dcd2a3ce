"""Senior Plus bot: Rasa domain, endpoints and custom NLU components (bot environment)."""
