"""Human handoff: a person takes over a conversation (agent console, issue 6)."""
