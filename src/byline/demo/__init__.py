"""Byline's demo: a fictional sample news corpus, rendered as static sites and served locally.

SAMPLE DATA. Every outlet, person and event in the demo corpus is fictional. ``corpus`` loads
the corpus, ``sitegen`` renders it as websites with feeds, ``server`` serves them on 127.0.0.1.
"""
