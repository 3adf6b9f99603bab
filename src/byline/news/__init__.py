"""The persistence layer: models, migrations, and the only modules that touch the database —
``store`` (ingestion's writes: sources, feeds, pages, articles, judgements), ``queries``
(reads for pages and the API, full-text search) and ``replies`` (reader replies). Callers use
their functions by what they do; nobody else builds a query."""
