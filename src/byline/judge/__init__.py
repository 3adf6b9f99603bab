"""Judgement (pure): fingerprints, story assignment, provenance and sections."""
