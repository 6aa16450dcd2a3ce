"""The agents' console (issue 6): accounts, sessions, CSRF, pages served at ``/console``.

Server-rendered French pages (Jinja2) with a little vanilla JavaScript; the
handoff rules live in ``seniorplus.handoff`` (service and operations), the case
and booking rules in ``seniorplus.cases`` and ``seniorplus.booking``: the routes
here only read the request, call them, and render. Documentation: docs/console.md.
"""
