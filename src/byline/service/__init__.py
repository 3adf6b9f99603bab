"""Byline as a service: ``byline run`` serves the site and keeps fetching in one supervised
process, with health checks, Prometheus metrics and structured logs."""
