"""Web app of the app environment: status page, later the agent console and JSON API."""
