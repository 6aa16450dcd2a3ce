#!/usr/bin/env bash
# Print the path of a working Python 3.10 (pyenv's shim only works when 3.10 is selected).
set -euo pipefail
for candidate in "${PYTHON310:-}" python3.10 "$(command -v pyenv >/dev/null 2>&1 && pyenv root)"/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "Python 3.10 introuvable : installez-le (pyenv install 3.10.13) ou définissez PYTHON310=/chemin/python3.10" >&2
exit 1
