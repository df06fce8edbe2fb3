"""Health check and Prometheus metrics."""
