"""Local fake vendor APIs (Twilio, Telegram) for tests: standard library only."""
