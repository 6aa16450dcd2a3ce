"""pip-audit over both lock files, with a clear French verdict (make audit).

pip-audit asks a vulnerability service (PyPI's JSON API by default, or OSV) about
each pinned version. When the service cannot be reached, or answers for none of
them, the audit did not happen: this script says so and exits 3, rather than
passing silently. Exit 1: known vulnerabilities; 0: none known.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
LOCKS = ("requirements/bot.lock", "requirements/app.lock")


def audit(lock: str, service: str) -> tuple[int, int, list[str]] | None:
    """(audited, skipped, findings) for one lock file, or None if the service is unreachable."""
    command = [str(PIP_AUDIT), "-r", lock, "--no-deps", "--disable-pip", "-s", service,
               "--progress-spinner", "off", "-f", "json"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return None  # a network error: pip-audit printed a traceback, no report
    audited = skipped = 0
    findings = []
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped += 1
            continue
        audited += 1
        for vulnerability in dependency.get("vulns", []):
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "aucune"
            findings.append(f"{dependency['name']} {dependency['version']} : "
                            f"{vulnerability['id']} (corrigé dans : {fixed})")  # fmt: skip
    return audited, skipped, findings


def main() -> int:
    service = sys.argv[1] if len(sys.argv) > 1 else "pypi"
    unreachable, findings = [], []
    for lock in LOCKS:
        result = audit(lock, service)
        if result is None or result[0] == 0:
            unreachable.append(lock)
            continue
        audited, skipped, found = result
        print(f"{lock} : {audited} paquets vérifiés, {skipped} non vérifiés, {len(found)} failles")
        findings += found
    for line in findings:
        print(f"  {line}")
    if unreachable:
        print(f"AUDIT NON FAIT pour {', '.join(unreachable)} : le service de vulnérabilités "
              f"« {service} » de pip-audit est injoignable d'ici (ou ne connaît aucune de ces "
              "versions). Relancez là où il est joignable (CI avec accès à pypi.org ou à "
              "api.osv.dev) : make audit, ou make audit AUDIT_SERVICE=osv.")  # fmt: skip
        return 3
    if findings:
        print("Des failles connues touchent des versions figées : mettez-les à jour.")
        return 1
    print("Aucune faille connue dans les versions figées.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
