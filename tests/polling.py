"""Waiting for another process (a worker, a server) to make something true: polled, bounded."""

import time


def wait_until(condition, timeout, what):
    """Poll `condition` until it returns something true, and return that; fail naming `what` after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return result
