"""One fake per vendor, shared by the tests and the channel simulator (standard library only).

Each module answers like the vendor's API (same paths, parameters, payloads, error codes and
messages): ``telegram`` (the Bot API), ``twilio`` (the Messaging REST API). The vendor's rules
live in one class per vendor, with no HTTP; two doors open on it:

- a threaded local server (``FakeTelegramApi``, ``FakeTwilioApi``) for the tests, which records
  every call and can fail or delay the next ones;
- the simulator's routes (``devtools/simulator_vendor.py``), which record what was sent in the
  page's transcripts.

Standard library and the shared ground only (``rendering``, ``policies``): the bot environment's
tests import it too. The product never imports ``devtools``.
"""
