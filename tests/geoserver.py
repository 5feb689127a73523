"""A real HTTP server on 127.0.0.1 that answers like the address services do.

GeoCodeJSON FeatureCollections for the national address service (/geocodage/search,
/reverse, /search/csv) and Nominatim's JSON (/nominatim/search, /reverse). Tests steer it
through `state`: statuses to send first, a delay, what to answer.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PLACES = {
    "buffault": [("28 Rue Buffault 75009 Paris", 48.87637, 2.34213, 0.97, "75009", "housenumber")],
    "estrapade": [("Place de l'Estrapade 75005 Paris", 48.84516, 2.34462, 0.91, "75005", "street")],
    "rivoli": [
        ("Rue de Rivoli 75001 Paris", 48.86210, 2.33720, 0.72, "75001", "street"),
        ("Rue de Rivoli 75004 Paris", 48.85700, 2.35500, 0.70, "75004", "street"),
    ],
    "luxembourg": [("Jardin du Luxembourg", 48.84620, 2.33710, 0.88, "75006", "poi")],
    "lyon": [("Place Bellecour 69002 Lyon", 45.75780, 4.83200, 0.90, "69002", "street")],
    "pantin": [
        ("Cimetière parisien de Pantin 93500 Pantin", 48.89420, 2.40970, 0.80, "93500", "poi")
    ],
    "rue": [
        (
            f"{n} Rue de la Roquette 75011 Paris",
            48.8550 + n / 10000,
            2.3750,
            0.9,
            "75011",
            "housenumber",
        )
        for n in range(1, 3)
    ],
}


def _match(q: str) -> list[tuple[Any, ...]]:
    q = q.lower()
    for word, places in PLACES.items():
        if word in q:
            return places
    return []


def ban_collection(places: list[tuple[Any, ...]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "label": label,
                    "score": score,
                    "postcode": pc,
                    "city": label.split(" ")[-1],
                    "type": kind,
                },
            }
            for label, lat, lon, score, pc, kind in places
        ],
    }


class Handler(BaseHTTPRequestHandler):
    server: GeoServer

    def log_message(self, *args: Any) -> None:
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _prelude(self) -> bool:
        state = self.server.state
        with self.server.lock:
            state["requests"].append((self.command, self.path, time.monotonic()))
            failing = state["fail"].pop(0) if state["fail"] else None
        if state.get("delay"):
            time.sleep(state["delay"])
        if failing is not None:
            headers = {"Retry-After": str(state.get("retry_after", 1))} if failing == 429 else {}
            self._send(failing, b'{"error": "try later"}', headers=headers)
            return False
        if state.get("malformed"):
            self._send(200, b'{"type": "FeatureCollection", "features": [')
            return False
        return True

    def do_GET(self) -> None:
        if not self._prelude():
            return
        url = urlsplit(self.path)
        args = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/geocodage/search":
            body = ban_collection(_match(args.get("q", ""))[: int(args.get("limit", 5))])
        elif url.path == "/geocodage/reverse":
            body = ban_collection(
                [
                    (
                        "12 Rue Lepic 75018 Paris",
                        float(args["lat"]),
                        float(args["lon"]),
                        0.99,
                        "75018",
                        "housenumber",
                    )
                ]
            )
        elif url.path == "/nominatim/search":
            body = [
                {
                    "display_name": label,
                    "lat": str(lat),
                    "lon": str(lon),
                    "importance": score,
                    "addresstype": kind,
                    "address": {"postcode": pc, "city": "Paris"},
                }
                for label, lat, lon, score, pc, kind in _match(args.get("q", ""))
            ]
        elif url.path == "/nominatim/reverse":
            body = {
                "display_name": "Rue Lepic, Paris",
                "lat": args["lat"],
                "lon": args["lon"],
                "address": {"postcode": "75018", "city": "Paris"},
            }
        else:
            self._send(404, b"{}")
            return
        self._send(200, json.dumps(body).encode())

    def do_POST(self) -> None:
        if not self._prelude():
            return
        length = int(self.headers["Content-Length"])
        raw = self.rfile.read(length)
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + raw
        )
        data = next(
            part.get_payload(decode=True)
            for part in message.iter_parts()
            if part.get_param("name", header="content-disposition") == "data"
        )
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        out = io.StringIO()
        fields = [
            "id",
            "adresse",
            "latitude",
            "longitude",
            "result_label",
            "result_score",
            "result_type",
            "result_postcode",
            "result_city",
        ]
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            found = _match(row["adresse"])
            if found:
                label, lat, lon, score, pc, kind = found[0]
                writer.writerow(
                    {
                        **row,
                        "latitude": lat,
                        "longitude": lon,
                        "result_label": label,
                        "result_score": score,
                        "result_type": kind,
                        "result_postcode": pc,
                        "result_city": "Paris",
                    }
                )
            else:
                writer.writerow({**row})
        self._send(200, out.getvalue().encode(), "text/csv")


class GeoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.state: dict[str, Any] = {"requests": [], "fail": []}
        # a short poll: stopping the server at the end of a test costs 20 ms, not 500
        self.thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (a timeout test) is not a server error

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> GeoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
