"""Geocoding against a real HTTP server on 127.0.0.1 that answers like the real services."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from geoserver import GeoServer

from scout.clock import Clock
from scout.geo import locate
from scout.geocoding.cache import GeocodeCache
from scout.geocoding.errors import (
    GeocodingBadAnswer,
    GeocodingOffline,
    GeocodingRateLimited,
    GeocodingUnavailable,
)
from scout.geocoding.normalise import normalise_query
from scout.geocoding.service import GeocodingService, _Pacer
from scout.geocoding.settings import GeocodingSettings
from scout.services import Workspace
from scout.services.geocoding import resolve_queue
from scout.store import open_store


@pytest.fixture
def server():
    with GeoServer() as srv:
        yield srv


def settings_for(url: str, **changes) -> GeocodingSettings:
    base = GeocodingSettings(
        ban_url=f"{url}/geocodage",
        nominatim_url=f"{url}/nominatim",
        ban_per_second=1000,
        nominatim_per_second=1000,
        timeout_s=1.0,
        backoff_s=0.01,
    )
    return base.with_values(changes, "test") if changes else base


def service_for(url: str, cache: GeocodeCache | None = None, **changes) -> GeocodingService:
    return GeocodingService(settings_for(url, **changes), cache, locate=locate)


def test_an_address_gives_its_position_and_arrondissement(server) -> None:
    found = service_for(server.url).search("28 rue Buffault, Paris")
    assert [(c.label, c.arrondissement, c.provider) for c in found] == [
        ("28 Rue Buffault 75009 Paris", 9, "ban")
    ]
    assert found[0].postcode == "75009" and found[0].score == pytest.approx(0.97)
    path, query = server.state["requests"][0][1].split("?")
    assert path == "/geocodage/search" and "index=address%2Cpoi" in query


def test_several_candidates_are_ranked_with_their_arrondissement(server) -> None:
    found = service_for(server.url).search("rue de Rivoli")
    assert [c.arrondissement for c in found] == [1, 4]
    assert found[0].score >= found[1].score


def test_outside_paris_and_outside_ile_de_france_are_flagged(server) -> None:
    geocoder = service_for(server.url)
    pantin = geocoder.search("cimetière de Pantin")[0]
    assert pantin.outside_paris and not pantin.outside_ile_de_france
    lyon = geocoder.search("place Bellecour Lyon")[0]
    assert lyon.outside_paris and lyon.outside_ile_de_france


def test_no_result_falls_back_to_nominatim_then_says_nothing(server) -> None:
    assert service_for(server.url).search("nowhere at all") == []
    paths = [r[1].split("?")[0] for r in server.state["requests"]]
    assert paths == ["/geocodage/search", "/nominatim/search"]
    agent = None  # Nominatim's policy wants a real User-Agent: ours names scout
    assert service_for(server.url).settings.user_agent.startswith("scout/") or agent


def test_malformed_json_is_a_clear_error(server) -> None:
    server.state["malformed"] = True
    with pytest.raises(GeocodingBadAnswer, match="cannot be read"):
        service_for(server.url).search("28 rue Buffault")


def test_429_with_retry_after_is_honoured(server) -> None:
    waits: list[float] = []
    server.state.update(fail=[429], retry_after=2)
    geocoder = GeocodingService(settings_for(server.url), locate=locate, sleep=waits.append)
    assert geocoder.search("estrapade")[0].arrondissement == 5
    assert waits == [2.0]  # the server's Retry-After, not our own backoff


def test_429_again_and_again_is_rate_limited(server) -> None:
    server.state.update(fail=[429] * 6, retry_after=0)
    with pytest.raises(GeocodingRateLimited):
        service_for(server.url, providers="ban").search("estrapade")


def test_500_then_success_is_retried_with_backoff(server) -> None:
    server.state["fail"] = [500]
    found = service_for(server.url, providers="ban").search("28 rue Buffault")
    assert found and len(server.state["requests"]) == 2


def test_a_slow_answer_times_out(server) -> None:
    server.state["delay"] = 1.5
    started = time.monotonic()
    with pytest.raises(GeocodingUnavailable, match="did not answer in time"):
        service_for(server.url, providers="ban", timeout_s=0.3).search("28 rue Buffault")
    assert time.monotonic() - started < 1.4


def test_connection_refused_and_offline_are_unavailable() -> None:
    with pytest.raises(GeocodingUnavailable, match="cannot be reached"):
        service_for("http://127.0.0.1:9").search("28 rue Buffault")
    offline = GeocodingSettings(offline=True)
    with pytest.raises(GeocodingOffline):
        GeocodingService(offline).search("28 rue Buffault")


def test_messy_input_has_one_cache_key(server, tmp_path: Path) -> None:
    assert normalise_query("28BIS,  Rue\u00a0BUFFAULT ") == normalise_query("28 bis rue buffault")
    assert normalise_query("12 t rue de l'Église") == "12 ter rue de l eglise"
    geocoder = service_for(server.url, GeocodeCache(tmp_path / "geocache.db"))
    geocoder.search("28bis rue Buffault")
    geocoder.search("28 BIS, rue  Buffault")
    assert len(server.state["requests"]) == 1
    started = time.perf_counter()
    geocoder.search("28 bis rue buffault")
    assert time.perf_counter() - started < 0.05  # a cache hit, no request
    geocoder.search("28 bis rue buffault", refresh=True)
    assert len(server.state["requests"]) == 2
    geocoder.close()
    again = service_for(server.url, GeocodeCache(tmp_path / "geocache.db"))
    again.search("28bis rue Buffault")  # the cache persisted
    assert len(server.state["requests"]) == 2
    again.close()


def test_the_cache_never_grows_without_bound(tmp_path: Path, server) -> None:
    cache = GeocodeCache(tmp_path / "geocache.db", max_entries=20)
    geocoder = service_for(server.url, cache)
    for n in range(50):
        geocoder.search(f"{n} rue Buffault")
    assert len(cache) <= 20
    assert cache.get("search:" + normalise_query("49 rue Buffault")) is not None
    assert cache.get("search:" + normalise_query("0 rue Buffault")) is None
    geocoder.close()


def test_the_pacer_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = _Pacer(1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        pacer.wait()
    assert slept == [1.0, 1.0, 1.0]  # Nominatim: at most one request a second


def test_nominatim_is_paced_at_one_request_a_second(server) -> None:
    geocoder = service_for(server.url, providers="nominatim", nominatim_per_second=4)
    started = time.monotonic()
    for q in ("rivoli", "estrapade", "buffault"):
        geocoder.search(q)
    stamps = [r[2] for r in server.state["requests"]]
    assert all(b - a >= 0.2 for a, b in zip(stamps, stamps[1:]))
    assert time.monotonic() - started >= 0.45


def test_reverse_geocoding(server) -> None:
    found = service_for(server.url).reverse(48.8849, 2.3336)
    assert found[0].label == "12 Rue Lepic 75018 Paris" and found[0].arrondissement == 18


def test_a_batch_goes_through_the_csv_endpoint(server) -> None:
    results = service_for(server.url).search_many(
        ["28 rue Buffault", "place de l'Estrapade", "nowhere"]
    )
    assert [r[0].arrondissement if r else None for r in results] == [9, 5, None]
    assert [r[0] for r in server.state["requests"]] == ["POST"]


def test_the_queue_waits_offline_and_resolves_when_the_network_is_back(
    server, db_path: Path
) -> None:
    store = open_store(db_path)
    lieux = Workspace(store, Clock()).lieux
    cour = lieux.add({"name": "Cour", "address": "28 rue Buffault"})
    edited = lieux.add({"name": "Atelier", "address": "place de l'Estrapade"})
    assert cour.geocode_pending and cour.position is None
    down = resolve_queue(lieux, service_for("http://127.0.0.1:9"))
    assert down.unreachable and not down.placed
    assert {lieu.id for lieu in lieux.pending_geocoding()} == {cour.id, edited.id}

    # The scout places the Atelier by hand while an answer is on its way: it must win.
    geocoder = service_for(server.url)
    stale = {lieu.id: lieu for lieu in lieux.pending_geocoding()}
    lieux.edit(edited.id, {"notes": "portail bleu"})
    from scout.services import version

    assert lieux.apply_geocoding(edited.id, version(stale[edited.id]), 48.0, 2.0, "") is None

    report = resolve_queue(lieux, geocoder)
    assert {lieu.id for lieu in report.placed} == {cour.id, edited.id}
    placed = store.get_lieu(cour.id)
    assert placed.arrondissement == 9 and placed.position.source.value == "geocoded"
    assert not placed.geocode_pending and placed.postcode == "75009"
    assert resolve_queue(lieux, geocoder).placed == []  # nothing twice
    store.close()


def test_config_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[geocoding]\nban_url = "http://example.test/geocodage"\ntimeout_s = 9\n')
    monkeypatch.delenv("SCOUT_BAN_URL")
    monkeypatch.delenv("SCOUT_OFFLINE")
    settings = GeocodingSettings.load(config)
    assert settings.ban_url == "http://example.test/geocodage" and settings.timeout_s == 9.0
    monkeypatch.setenv("SCOUT_BAN_URL", "http://127.0.0.1:1/g")
    monkeypatch.setenv("SCOUT_OFFLINE", "1")
    settings = GeocodingSettings.load(config)
    assert settings.ban_url == "http://127.0.0.1:1/g" and settings.offline
    config.write_text('[geocoding]\ntimeout_s = "soon"\n')
    from scout.errors import ScoutError

    with pytest.raises(ScoutError, match="timeout_s"):
        GeocodingSettings.load(config)


def _online(server) -> dict[str, str]:
    return {
        "SCOUT_OFFLINE": "0",
        "SCOUT_BAN_URL": f"{server.url}/geocodage",
        "SCOUT_NOMINATIM_URL": f"{server.url}/nominatim",
    }


def test_cli_locate_an_address_and_add_by_address(run_scout, server) -> None:
    result = run_scout("locate", "28 rue Buffault, Paris", env=_online(server))
    assert result.returncode == 0, result.stderr
    assert "28 Rue Buffault 75009 Paris" in result.stdout and "9e — Opéra" in result.stdout
    data = json.loads(run_scout("locate", "rue de Rivoli", "--json", env=_online(server)).stdout)
    assert [c["arrondissement"] for c in data["matches"]] == [1, 4]
    added = run_scout("add", "--name", "Cour", "--address", "28 rue Buffault", env=_online(server))
    assert "placed from its address (9e)" in added.stdout
    lines = "48.85,2.35\n28 rue Buffault\nnowhere\n"
    out = run_scout("locate", "-", input=lines, env=_online(server)).stdout.splitlines()
    assert json.loads(out[1])["arrondissement"] == 9 and "error" in json.loads(out[2])


def test_cli_offline_add_then_pending(run_scout, server) -> None:
    offline = run_scout("add", "--name", "Atelier", "--address", "place de l'Estrapade")
    assert offline.returncode == 0 and "scout geocode --pending" in offline.stdout
    assert json.loads(run_scout("list", "--json").stdout)[0]["geocode_pending"]
    still = run_scout("geocode", "--pending")
    assert still.returncode == 1 and "stay in the queue" in still.stderr
    back = run_scout("geocode", "--pending", env=_online(server))
    assert back.returncode == 0 and "placed   location 1" in back.stdout
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["arrondissement"] == 5 and shown["position"]["source"] == "geocoded"


def test_cli_reverse_and_batch(run_scout, server) -> None:
    rev = run_scout("geocode", "--reverse", "48.8849,2.3336", env=_online(server))
    assert rev.returncode == 0 and "12 Rue Lepic 75018 Paris  [18e" in rev.stdout
    batch = run_scout(
        "geocode", "--batch", "-", input="28 rue Buffault\nnowhere\n", env=_online(server)
    )
    rows = [json.loads(line) for line in batch.stdout.splitlines()]
    assert rows[0]["candidates"][0]["arrondissement"] == 9 and rows[1]["candidates"] == []


def test_a_malformed_csv_answer_falls_back_and_says_what_failed(server) -> None:
    server.state["malformed"] = True
    results = service_for(server.url, providers="ban").search_many(["28 rue Buffault"])
    assert isinstance(results[0], GeocodingBadAnswer)


def test_cli_batch_file_errors(run_scout, tmp_path: Path) -> None:
    missing = run_scout("geocode", "--batch", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text \xff\xfe")
    result = run_scout("geocode", "--batch", str(binary))
    assert result.returncode == 1 and "not a UTF-8 text file" in result.stderr
    assert "Traceback" not in result.stderr


# -- what a person reads when the service cannot answer, and what a script reads ---------


def test_an_unreachable_service_is_said_in_english() -> None:
    with pytest.raises(GeocodingUnavailable) as caught:
        service_for("http://127.0.0.1:9", providers="ban").search("28 rue Buffault")
    assert str(caught.value) == (
        "the address service (Géoplateforme) cannot be reached (no network?)"
    )
    assert caught.value.kind == "unavailable"


@pytest.mark.lang("fr")
def test_an_unreachable_service_is_said_in_french() -> None:
    with pytest.raises(GeocodingUnavailable) as caught:
        service_for("http://127.0.0.1:9", providers="ban").search("28 rue Buffault")
    assert (
        str(caught.value)
        == "le service d'adresses (Géoplateforme) est injoignable (pas de réseau ?)"
    )
    with pytest.raises(GeocodingUnavailable, match="^Nominatim est injoignable"):
        service_for("http://127.0.0.1:9", providers="nominatim").search("28 rue Buffault")
    with pytest.raises(GeocodingBadAnswer, match="^rien à chercher : l'adresse est vide$"):
        service_for("http://127.0.0.1:9").search("  ,  ")


@pytest.mark.lang("fr")
def test_a_slow_answer_is_said_in_french(server) -> None:
    server.state["delay"] = 1.5
    with pytest.raises(GeocodingUnavailable, match="^le service d'adresses .* n'a pas répondu à"):
        service_for(server.url, providers="ban", timeout_s=0.3).search("28 rue Buffault")


@pytest.mark.lang("fr")
def test_the_queue_says_why_it_waits_in_french_and_codes_it(db_path: Path) -> None:
    with open_store(db_path) as store:
        lieux = Workspace(store, Clock()).lieux
        lieux.add({"name": "Cour", "address": "28 rue Buffault"})
        report = resolve_queue(lieux, GeocodingService(GeocodingSettings(offline=True)))
    assert report.unreachable == "SCOUT_OFFLINE est activé : pas de réseau"
    assert report.unreachable.kind == "offline"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "said",
    [
        "SCOUT_OFFLINE is set: no network",
        pytest.param("SCOUT_OFFLINE est activé : pas de réseau", marks=pytest.mark.lang("fr")),
    ],
)
def test_cli_offline_is_said_in_the_language_of_the_run(run_scout, said: str) -> None:
    ran = run_scout("geocode", "28 rue Buffault")
    assert ran.returncode == 1 and said in ran.stderr, ran.stderr


@pytest.mark.lang("fr")
def test_a_wrong_setting_is_said_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scout.errors import ScoutError

    config = tmp_path / "config.toml"
    config.write_text('[geocoding]\ntimeout_s = "bientôt"\n')
    with pytest.raises(ScoutError) as caught:
        GeocodingSettings.load(config)
    assert str(caught.value) == (
        f"{config} : réglage de géocodage timeout_s : 'bientôt' n'est pas un nombre"
    )
    monkeypatch.setenv("SCOUT_GEOCODER_PROVIDERS", "google")
    with pytest.raises(ScoutError, match="^les variables d'environnement : réglage de géocodage"):
        GeocodingSettings.load(tmp_path / "none.toml")
