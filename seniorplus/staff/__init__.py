"""The team behind the console: agents and their roles, sessions, the audit log, who sees what."""
