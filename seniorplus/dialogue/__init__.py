"""Pure conversation logic over plain Rasa event dicts (no Rasa import)."""
