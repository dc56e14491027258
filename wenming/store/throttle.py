"""What keeps sign-in standing under a burst: a small pool of password checks, one check at a time per
user name, and the lockout rules over the logged failures.

An argon2 check takes 64 MiB and about 0.1 s of one core. Two hundred at once took the
server to 4.4 GB; here at most ``CHECKS`` run at a time and the others wait up to
``CHECK_WAIT`` seconds for a free slot, then are refused as busy (nothing checked). The
lock check, the password check and the failure's record for one user name happen under
that name's stripe lock, so a burst on one name gets exactly ``MAX_FAILURES`` wrong
passwords checked before the lock, never more.

Who is locked out (docs/RULES.md §7): a name from the client address whose failures
reached the limit, not the name everywhere (a stranger's guesses cannot lock the admin
out at their own desk); a session or an address with too many failures on any names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator

MAX_FAILURES = 5  # failed sign-ins of one user name from one address, or of one session, ...
ADDRESS_FAILURES = 20  # ... or of one address on any names ...
WINDOW = dt.timedelta(minutes=15)  # ... within this window ...
LOCKOUT = dt.timedelta(minutes=15)  # ... lock that name there (or that session, or address) for this long
CHECKS = 2  # argon2 checks at once: 2 x 64 MiB
CHECK_WAIT = 10.0  # seconds a sign-in waits for a free check before it is refused as busy
NOT_FAILURES = ("locked", "busy", "unlocked")  # logged reasons that are no guess at a password

_POOL = threading.BoundedSemaphore(CHECKS)
_STRIPES = tuple(threading.Lock() for _ in range(64))


class Busy(Exception):
    """Every password check slot stayed taken for CHECK_WAIT seconds."""


@contextlib.contextmanager
def check_slot(wait: float | None = None) -> Iterator[None]:
    """One of the CHECKS slots for a password check, or Busy after ``wait`` seconds."""
    if not _POOL.acquire(timeout=CHECK_WAIT if wait is None else wait):
        raise Busy
    try:
        yield
    finally:
        _POOL.release()


def name_lock(name: str) -> threading.Lock:
    """The lock that makes one name's lock check, password check and failure record one step."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=2).digest()
    return _STRIPES[int.from_bytes(digest, "big") % len(_STRIPES)]


def session_hash(session_id: str | None) -> str | None:
    """What the sign-in log keeps of a session id: its SHA-256, useless to reconnect with."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest() if session_id else None


def lock_end(times: Iterable[dt.datetime], now: dt.datetime, limit: int = MAX_FAILURES) -> dt.datetime | None:
    """When a lockout from these failure times ends: ``limit`` within WINDOW lock for LOCKOUT."""
    ordered = sorted(times)
    end = None
    for i in range(limit - 1, len(ordered)):
        if ordered[i] - ordered[i - limit + 1] <= WINDOW:
            end = ordered[i] + LOCKOUT
    return end if end is not None and end > now else None
