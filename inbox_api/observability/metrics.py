"""Prometheus metrics of one app (own registry, so several apps in one test process never clash)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class InboxMetrics:
    """The counters and histograms the inbox exports on /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.escalations = Counter(
            "inbox_escalations_total",
            "Escalations received, by outcome (created or appended).",
            ["outcome", "language"],
            registry=self.registry,
        )
        self.replies = Counter(
            "inbox_agent_replies_total", "Agent replies written.", registry=self.registry
        )
        self.deliveries = Counter(
            "inbox_deliveries_total",
            "Delivery attempts through Rasa, by kind and result.",
            ["kind", "result"],
            registry=self.registry,
        )
        self.sla_events = Counter(
            "inbox_sla_events_total",
            "SLA warnings and breaches emitted.",
            ["metric", "kind"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "inbox_http_request_seconds",
            "HTTP request latency by route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.pending_deliveries = Gauge(
            "inbox_pending_deliveries",
            "Deliveries not yet confirmed by Rasa.",
            registry=self.registry,
        )
