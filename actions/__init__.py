"""Rasa custom actions: thin adapters over seniorplus (rasa_sdk only, never rasa)."""
