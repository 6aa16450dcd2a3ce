"""Password hashing with the standard library's scrypt.

Stored form: ``scrypt$<n>$<r>$<p>$<salt base64>$<hash base64>`` (random 16-byte salt,
32-byte key). Verification recomputes with the stored parameters and compares in
constant time, so the parameters can be raised later without breaking old hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from seniorplus.console.config import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024
# Verified when the login is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH: str | None = None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=KEY_BYTES
    )


def hash_password(password: str) -> str:
    """A new salted scrypt hash of ``password``."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; a malformed hash never matches."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
        key = _derive(password, salt, n, r, p)
    except ValueError:
        return False
    return hmac.compare_digest(key, expected)


def burn_time(password: str) -> None:
    """Spend the time of one verification (unknown login: same answer, same delay)."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    verify_password(password, _DUMMY_HASH)


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be a new password (in French), or None if it can."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"Le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères."
    if len(password) > MAX_PASSWORD_CHARS:
        return f"Le mot de passe doit compter au plus {MAX_PASSWORD_CHARS} caractères."
    if not password.strip():
        return "Le mot de passe ne peut pas être fait que d'espaces."
    return None
