"""The persistence layer: models, migrations, and the only modules that touch the database —
``registry`` (sources and feeds: health, scheduling, claims, OPML), ``store`` (fetched pages,
articles, judgements, versions), ``queries`` (reads for pages and the API, full-text search)
and ``replies`` (reader replies). Callers use their functions by what they do; nobody else
builds a query."""
