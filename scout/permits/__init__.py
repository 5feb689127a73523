"""Permits and arrêtés: the rules as data, deadlines in working days, and the checks."""
