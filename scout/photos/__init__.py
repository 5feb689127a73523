"""The scout's pictures: their metadata (never their pixels), places proposed from them,
and the light on the shoot day."""
