"""Password hashing: Argon2id (``argon2-cffi``), with the old scrypt hashes still verified.

New hashes are argon2-cffi's ``PasswordHasher`` defaults (Argon2id, RFC 9106 low-memory
profile: t=3, m=64 MiB, p=4), stored in the standard ``$argon2id$v=19$m=…`` form.
Hashes made before (``scrypt$<n>$<r>$<p>$<salt>$<hash>``) are still verified, and
`needs_rehash` says to replace them, as it does for an Argon2 hash whose parameters
are older than today's: the login rehashes once the password is known to be right.

These functions take tens of milliseconds of CPU and 64 MiB: call them from a worker
thread (``run_in_threadpool``), never on the event loop.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from seniorplus.console.config import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS

HASHER = PasswordHasher()  # Argon2id, argon2-cffi's defaults
_SCRYPT_PREFIX = "scrypt$"
_SCRYPT_MAXMEM = 64 * 1024 * 1024
_SCRYPT_MAX_N = 2**20  # a stored hash cannot make us spend more than this
# Verified when the login is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    """A new salted Argon2id hash of ``password``."""
    return HASHER.hash(password)


def _verify_scrypt(password: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 6:
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        if not 1 < n <= _SCRYPT_MAX_N:
            return False
        salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
        key = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            maxmem=_SCRYPT_MAXMEM,
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(key, expected)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (Argon2 or old scrypt); a bad hash never does."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    if stored.startswith(_SCRYPT_PREFIX):
        return _verify_scrypt(password, stored)
    try:
        return HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for an old scrypt hash, or an Argon2 hash made with other parameters."""
    if stored.startswith(_SCRYPT_PREFIX):
        return True
    try:
        return HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


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
