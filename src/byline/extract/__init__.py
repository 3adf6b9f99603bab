"""Extraction (pure): page bytes in, an ``Article`` out."""
