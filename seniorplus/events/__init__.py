"""Rasa's conversation events, read from RabbitMQ (docs/architecture.md, "Event broker").

Rasa publishes every new event of a tracker to a fanout exchange and a durable queue
(bot/endpoints.yml, ``EVENT_BROKER_TYPE=pika``). ``python -m seniorplus.events`` reads
them (:mod:`.consumer`), turns each body into a `~.parse.RasaEvent` (:mod:`.parse`,
pure) and writes, once per event however often RabbitMQ delivers it (:mod:`.store`):

- ``conversation_activity``: when each conversation last moved and last spoke, read by
  the console's live view instead of the tracker table (:mod:`.live`);
- ``journey_progress``: the furthest step each conversation reached in each journey,
  for the drop-off statistics (:mod:`.stats`, pure; console page ``/console/parcours``).

No message text is stored here: the texts stay in Rasa's tracker store, where the
data-rights erasure and the retention purge already delete them.
"""
