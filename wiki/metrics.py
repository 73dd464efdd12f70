"""Prometheus metrics: the counters every layer may bump, and the registry /metrics reads.

Under gunicorn each worker is its own process: wiki.gunicorn_conf sets PROMETHEUS_MULTIPROC_DIR
before the workers start, so prometheus_client keeps each process's values in files there and a
scrape adds them up (MultiProcessCollector). Without it (the test client, a command) the process's
own registry answers. Values that live in the database (outbox depth and age) are read at scrape
time by `DatabaseCollector`, so every host reports the same truth.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter("wiki_http_requests", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram(
    "wiki_http_request_duration_seconds",
    "Time to answer a request (until the body is handed to the server)",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CACHE = Counter("wiki_cache_lookups", "Front-cache and parser-cache lookups", ["cache", "outcome"])
REFUSALS = Counter("wiki_rate_limit_refusals", "Requests refused by a rate limit or throttle", ["action"])


class DatabaseCollector(Collector):
    """Gauges read from the database at scrape time: `read()` answers {name: (help, value)}."""

    def __init__(self, read: Callable[[], dict[str, tuple[str, float]]]) -> None:
        self.read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, (help_text, value) in self.read().items():
            yield GaugeMetricFamily(name, help_text, value=value)


def scrape(read_database: Callable[[], dict[str, tuple[str, float]]]) -> bytes:
    """The text exposition of every process's metrics plus the database's gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
        registry.register(DatabaseCollector(read_database))
        return generate_latest(registry)
    registry.register(DatabaseCollector(read_database))
    return generate_latest(REGISTRY) + generate_latest(registry)
