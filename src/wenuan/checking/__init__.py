"""Return + Form -> findings, as data: validate, localize the wrong cells, screen, add up."""
