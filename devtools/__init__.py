"""Development tools, outside the product: the channel simulator and the demo seeds.

Nothing under ``seniorplus/``, ``actions/``, ``channels/`` or ``bot/`` imports this package;
`devtools.web` builds the product's web app and adds the simulator to it when ``APP_ENV=dev``.
"""
