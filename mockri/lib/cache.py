"""A process's own memory as a Django cache, without the pickling."""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ProcessMemoryCache(LocMemCache):
    """Django's local-memory cache, keeping the values themselves instead of pickled copies.

    A hit then costs no unpickling: a slot page kept here carries hundreds of start times, and
    unpickling them was a tenth of a signed-in page's CPU (issue #13). The price is that a
    value read is the very object kept, so only values nobody changes belong here: strings,
    numbers, tuples, frozen dataclasses.
    """

    # LocMemCache's own, which Django's type stubs leave out.
    _cache: OrderedDict[str, Any]
    _lock: Lock
    _has_expired: Callable[[str], bool]
    _delete: Callable[[str], bool]
    _set: Callable[..., None]

    def validate_key(self, key):
        # Django's warns about keys memcached would refuse, a loop over every character of
        # every key; nothing here goes to memcached, and the keys are the project's own.
        pass

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            self._cache.move_to_end(key, last=False)
            return self._cache[key]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            self._cache[key] += delta
            self._cache.move_to_end(key, last=False)
            return self._cache[key]
