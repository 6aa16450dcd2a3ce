"""`make scale-test`: the production topology on loopback, faults, and what must survive them.

- :mod:`.stack`: PostgreSQL databases, a private Redis, RabbitMQ names, HAProxy, and the
  processes (2 Rasa, 2 action servers, 2 web, the scheduler, the event consumer);
- :mod:`.vendor`: the fake Twilio and Telegram APIs, and the "vendor" that posts signed
  webhooks and retries on 5xx and timeouts;
- :mod:`.people`: the French conversations, one person each;
- :mod:`.checks`: the pass criteria, read from the databases and the console;
- :mod:`.backup`: the pg_dump / pg_restore round trip.
"""
