"""A session store in Python memory: the reference implementation of the protocol an
:class:`~secret_ballot.Issuer` calls on a host-supplied store (the ``SessionStore`` protocol of ``_native.pyi``; see
``examples/hr_integration.py`` for one in SQLite)."""

import threading
from typing import Dict, List, Optional, Set, Tuple


class MemorySessionStore:
    """Sessions and the issuance list in a dict, guarded by one lock: ``take`` is atomic
    across threads. (``Issuer(key)`` without a store uses the core's own in-memory store;
    this class is the template for a store of your own.)"""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # session id -> (status, data, opened_at)
        self._sessions: Dict[bytes, Tuple[str, bytes, int]] = {}
        self._issued: Dict[bytes, List[bytes]] = {}
        self._issued_set: Set[Tuple[bytes, bytes]] = set()

    def insert(self, session_id: bytes, state: bytes, opened_at: int) -> None:
        with self._lock:
            if session_id in self._sessions:
                raise KeyError("duplicate session id")
            self._sessions[session_id] = ("open", state, opened_at)

    def take(self, session_id: bytes) -> Optional[Tuple[str, bytes]]:
        with self._lock:
            found = self._sessions.get(session_id)
            if found is None:
                return None
            status, data, opened_at = found
            if status == "open":
                self._sessions[session_id] = ("in_flight", b"", opened_at)
            return (status, data)

    def record_answer(self, session_id: bytes, answer: bytes) -> None:
        with self._lock:
            opened_at = self._sessions.get(session_id, ("", b"", 0))[2]
            self._sessions[session_id] = ("answered", answer, opened_at)

    def claim_issuance(self, context: bytes, voter: bytes) -> bool:
        with self._lock:
            if (context, voter) in self._issued_set:
                return False
            self._issued_set.add((context, voter))
            self._issued.setdefault(context, []).append(voter)
            return True

    def is_issued(self, context: bytes, voter: bytes) -> bool:
        with self._lock:
            return (context, voter) in self._issued_set

    def issued(self, context: bytes) -> List[bytes]:
        with self._lock:
            return sorted(self._issued.get(context, []))

    def purge_opened_before(self, cutoff: int) -> int:
        with self._lock:
            old = [k for k, (s, _, t) in self._sessions.items() if s == "open" and t < cutoff]
            for k in old:
                del self._sessions[k]
            return len(old)
