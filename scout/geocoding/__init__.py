"""Addresses and place names in, positions out: geopy over httpx, cached, rate-limited,
and usable with no signal (lieux wait in a queue until the network is back)."""
