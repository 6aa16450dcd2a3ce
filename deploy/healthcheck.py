"""Container health check (both images, standard library only).

GET ``$HEALTHCHECK_URL`` and exit 0 on a 2xx answer within 3 s, 1 otherwise. An empty
``HEALTHCHECK_URL`` (the scheduler, which serves nothing) checks nothing and exits 0.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "").strip()
    if not url:
        return 0
    if not url.startswith(("http://", "https://")):
        print(f"HEALTHCHECK_URL doit commencer par http:// ou https:// : {url}", file=sys.stderr)
        return 1
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310  (http(s) only, above)
            return 0 if 200 <= answer.status < 300 else 1
    except (OSError, urllib.error.URLError) as exc:
        print(f"Pas de réponse de {url} : {type(exc).__name__}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
