"""scout — film location scouting and permit tracking for Paris, in the terminal."""

__version__ = "0.1.0"
