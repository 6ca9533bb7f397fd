"""The cache backends: Django's own, counted for /metrics, and for Redis, one that a Redis outage
cannot break.

A cache is an optimisation: when Redis is down or slow, a read is a miss and a write is skipped
(logged once per outage), so pages are built from the database instead of failing. Sessions are in
the database, so nobody is logged out. Each call is bounded by short socket timeouts
(settings.CACHES), so a Redis that hangs costs a request at most a second per call.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# While Redis is known to be down, calls skip it for this long instead of each waiting for a
# connection timeout.
RETRY_AFTER_SECONDS = 2.0


class _MeasuredGets:
    """Hits and misses as django-prometheus counts them (its own Redis backend needs django-redis,
    another client, and its locmem one turns a cached 0 into a miss)."""

    metrics_label = ""

    def get(self, key, default=None, version=None):
        from django_prometheus.cache.metrics import (
            django_cache_get_fail_total,
            django_cache_get_total,
            django_cache_hits_total,
            django_cache_misses_total,
        )

        missing = object()
        django_cache_get_total.labels(backend=self.metrics_label).inc()
        try:
            value = super().get(key, missing, version=version)
        except Exception:
            django_cache_get_fail_total.labels(backend=self.metrics_label).inc()
            raise
        if value is missing:
            django_cache_misses_total.labels(backend=self.metrics_label).inc()
            return default
        django_cache_hits_total.labels(backend=self.metrics_label).inc()
        return value


class MeasuredLocMemCache(_MeasuredGets, LocMemCache):
    metrics_label = "locmem"


class _Outage:
    """Process-wide: whether Redis was found unreachable, and when to look again."""

    down_since = None
    retry_at = 0.0

    @classmethod
    def skip(cls):
        return cls.down_since is not None and time.monotonic() < cls.retry_at

    @classmethod
    def failed(cls, error):
        now = time.monotonic()
        if cls.down_since is None:
            cls.down_since = now
            logger.warning("cache unavailable (%s): pages are built without it until Redis answers", error)
        cls.retry_at = now + RETRY_AFTER_SECONDS

    @classmethod
    def answered(cls):
        if cls.down_since is not None:
            logger.warning("cache available again after %.0f s", time.monotonic() - cls.down_since)
            cls.down_since = None


WRITES = {"set", "set_many", "delete", "delete_many", "touch", "clear"}


def _tolerant(name, fallback):
    def method(self, *args, **kwargs):
        if _Outage.skip():
            return fallback(*args, **kwargs) if callable(fallback) else fallback
        try:
            result = getattr(super(_TolerantRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as error:
            _Outage.failed(error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback
        _Outage.answered()
        return True if result is None and name in WRITES else result

    method.__name__ = name
    return method


def _default_of_get(key, default=None, version=None):
    return default


class _TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default_of_get)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    add = _tolerant("add", False)
    set = _tolerant("set", False)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", False)
    clear = _tolerant("clear", False)

    def incr(self, key, delta=1, version=None):
        if _Outage.skip():
            raise ValueError("cache unavailable")
        try:
            value = super().incr(key, delta, version)
        except UNREACHABLE as error:
            _Outage.failed(error)
            raise ValueError("cache unavailable") from error
        _Outage.answered()
        return value


class ResilientRedisCache(_MeasuredGets, _TolerantRedisCache):
    """Django's Redis cache, for which an unreachable Redis is a miss, counted for /metrics.
    Writes return False when skipped (Django's return None otherwise), so a caller that must know
    can tell."""

    metrics_label = "redis"
