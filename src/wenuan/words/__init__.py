"""Findings, forms and statuses into sentences for a unit, a clerk or a script; the catalogue."""
