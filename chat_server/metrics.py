"""Prometheus metrics, exposed at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("cbt_http_requests_total", "HTTP requests", ["method", "route", "status"])
WS_OPEN = Gauge("cbt_ws_open", "Open WebSocket connections")
MESSAGES = Counter("cbt_messages_total", "Messages by outcome", ["status"])
WRITE_BATCH = Histogram(
    "cbt_write_batch_size", "Messages per group commit", buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500)
)
WRITE_SECONDS = Histogram(
    "cbt_write_seconds", "Group commit duration", buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 2)
)
GC_PAUSE = Histogram(
    "cbt_gc_pause_seconds", "Cycle-collector pauses of the event loop, by generation", ["generation"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
)
LOOP_LAG = Histogram(
    "cbt_event_loop_lag_seconds", "How late a timer due every 0.25 s fires: time the event loop was busy",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
)
FRAME_ERRORS = Counter("cbt_ws_errors_total", "Error frames sent, by code", ["code"])
SLOW_CLOSES = Counter("cbt_ws_slow_consumer_closes_total", "Connections closed for falling behind")
GAP_FETCHES = Counter("cbt_gap_fetches_total", "Sequence gaps filled from PostgreSQL")
RISK_ALERTS = Counter("cbt_risk_alerts_total", "Risk alerts raised", ["category", "severity"])
