"""Files scout writes for other tools: calendars (and later CSV, GeoJSON, dossiers)."""
