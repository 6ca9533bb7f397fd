"""A beat that sends the schedule only while it holds the leader lock in Redis.

Two beats (one per host, so that the schedule survives a host) would otherwise each send every
job. Each tick the leader renews its lock; the other beat tries to take it and sends nothing
until the leader stops renewing (stopped, killed, or cut off) and the lock expires after
BEAT_LEADER_LOCK_SECONDS. The jobs stay safe to run twice regardless: a lock that expires while a
leader is merely slow can, rarely, let both send once.
"""

import logging

import redis
from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)
LOCK_NAME = "siping:beat-leader"


class SingleLeaderScheduler(DatabaseScheduler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = None
        if settings.REDIS_URL:
            client = redis.Redis.from_url(settings.REDIS_URL)
            self._lock = client.lock(LOCK_NAME, timeout=settings.BEAT_LEADER_LOCK_SECONDS)
        self._leading = self._lock is None

    def tick(self, *args, **kwargs):
        if self._lock is not None:
            self._keep_or_take_the_lead()
            if not self._leading:
                # Look again well before the leader's lock could have expired.
                return max(1.0, settings.BEAT_LEADER_LOCK_SECONDS / 3)
        interval = super().tick(*args, **kwargs)
        if self._lock is not None:
            # Wake up in time to renew the lock, however far away the next job is.
            interval = min(interval, settings.BEAT_LEADER_LOCK_SECONDS / 3)
        return interval

    def _keep_or_take_the_lead(self):
        try:
            if self._leading:
                self._lock.reacquire()
            else:
                self._leading = self._lock.acquire(blocking=False)
                if self._leading:
                    logger.info("this beat now sends the schedule")
        except redis.exceptions.LockError:
            logger.warning("this beat lost the leader lock; another beat sends the schedule")
            self._leading = False
        except redis.exceptions.RedisError as error:
            logger.warning("beat leader lock unavailable (%s); sending nothing until Redis answers", error)
            self._leading = False

    def close(self):
        if self._lock is not None and self._leading:
            try:
                self._lock.release()  # the other beat takes over at once instead of after the expiry
            except redis.exceptions.RedisError:
                pass
        super().close()
