"""The persistence layer: models, migrations, and ``store`` — the only module that queries
the database. Views, the CLI and the ingester call ``store`` functions by what they do."""
