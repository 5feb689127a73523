"""The services both faces call: one per concern, all behind one `Workspace`.

- `workspace`: the repository, the write lock, the clock, the rules, the geocoder;
- `lieux`: add, edit, delete lieux, with their computed fields and history;
- `permits`: permits and arrêtés, suggestions, the régie's review;
- `photos`: import, proposals, accept/attach, relink;
- `geocoding`: the queue of lieux waiting for a position.
"""

from scout.services.lieux import LieuService, version
from scout.services.workspace import Workspace

__all__ = ["LieuService", "Workspace", "version"]
