"""Web app of the app environment: status page, JSON API (/api); mounts the console (/console)."""
