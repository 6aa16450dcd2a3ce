"""The conversation history kept by Rasa's tracker store (table ``events``): read, delete.

A coupling through the database with no import: Rasa (bot environment) writes the table,
the app reads it here only (`transcripts.TranscriptStore`, `EVENTS`).
"""
