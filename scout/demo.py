"""A demonstration production: real Paris places, so a new user sees a living app at once.

Addresses and positions are real; contacts are fictitious (01 99 00 … numbers are
reserved by the French regulator for films and fiction). Shoot days are placed
relative to today, so the demo always has something coming up.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scout.services.workspace import Workspace

PRODUCTION = "Les Toits de Paris (démo)"

# name, décor, address, postcode, lat, lon, status, setting, days from today (or None),
# extra fiche fields
PLACES: list[tuple[Any, ...]] = [
    (
        "Café de Flore",
        "CAFÉ DE CLAIRE — INT. JOUR",
        "172 boulevard Saint-Germain",
        "75006",
        48.85408,
        2.33259,
        "option",
        "int",
        18,
        {
            "sequences": "12, 14",
            "contacts": ["Hélène Marchal; gérante; 01 99 00 12 01"],
            "step_free": "oui",
            "accessible_toilets": "non",
            "narrowest_door_cm": "85",
            "tech_vehicle_parking": "aucune place boulevard Saint-Germain : parking Saint-Sulpice",
            "noise": "terrasse très passante, tourner avant 9 h",
            "cost": "4500",
        },
    ),
    (
        "Les Deux Magots",
        "CAFÉ DE CLAIRE — INT. JOUR",
        "6 place Saint-Germain-des-Prés",
        "75006",
        48.85401,
        2.33328,
        "scouted",
        "int",
        None,
        {
            "sequences": "12, 14",
            "step_free": "oui",
            "lift": "non",
            "notes": "Salle du fond disponible le lundi matin uniquement",
        },
    ),
    (
        "Café des Deux Moulins",
        "CAFÉ DE CLAIRE — INT. JOUR",
        "15 rue Lepic",
        "75018",
        48.88487,
        2.33360,
        "validated",
        "int",
        9,
        {
            "sequences": "12, 14",
            "retained": "oui",
            "contacts": ["Marc Dufresne; propriétaire; 01 99 00 12 03; contact@example.org"],
            "step_free": "non",
            "narrowest_door_cm": "72",
            "dropoff_distance_m": "40",
            "access_notes": "une marche de 12 cm à l'entrée, rampe amovible possible",
            "truck_access": "rue Lepic en pente, camions en bas (boulevard de Clichy)",
            "power": "groupe nécessaire",
            "cost": "3800",
        },
    ),
    (
        "Place de l'Estrapade",
        "APPARTEMENT DE CLAIRE — EXT. JOUR",
        "place de l'Estrapade",
        "75005",
        48.84516,
        2.34462,
        "validated",
        "ext",
        10,
        {
            "sequences": "3, 4, 27",
            "retained": "oui",
            "tech_vehicle_parking": "rue des Fossés-Saint-Jacques (arrêté à demander)",
            "disabled_parking_nearby": "oui",
            "crew_size": "25",
            "tech_vehicles": "4",
            "parking_spaces": "6",
            "site_kind": "street",
        },
    ),
    (
        "Rue Crémieux",
        "APPARTEMENT DE CLAIRE — EXT. JOUR",
        "rue Crémieux",
        "75012",
        48.84737,
        2.37078,
        "rejected",
        "ext",
        None,
        {
            "notes": "Les riverains refusent désormais les tournages (panneau en place)",
        },
    ),
    (
        "Passage des Panoramas",
        "PASSAGE — EXT. NUIT",
        "11 boulevard Montmartre",
        "75002",
        48.87128,
        2.34176,
        "option",
        "ext",
        24,
        {
            "sequences": "31",
            "contacts": ["Syndic du passage; gestionnaire; 01 99 00 12 06"],
            "step_free": "oui",
            "power": "pas de prise publique : groupe silencieux",
            "shoot_hours": "19:00-02:00",
            "crew_size": "14",
            "tech_vehicles": "6",
            "site_kind": "street",
        },
    ),
    (
        "Hôtel du Nord — quai de Jemmapes",
        "QUAI DU CANAL — EXT. JOUR",
        "102 quai de Jemmapes",
        "75010",
        48.87212,
        2.36466,
        "scouted",
        "ext",
        None,
        {
            "truck_access": "quai de Valmy en face, livraisons avant 10 h",
        },
    ),
    (
        "Parc des Buttes-Chaumont",
        "PARC — EXT. JOUR",
        "1 rue Botzaris",
        "75019",
        48.88093,
        2.38280,
        "to_scout",
        "ext",
        None,
        {
            "notes": "Demande Parcs et Jardins : AGATE obligatoire",
            "site_kind": "park",
        },
    ),
    (
        "Cimetière du Père-Lachaise",
        "CIMETIÈRE — EXT. JOUR",
        "16 rue du Repos",
        "75020",
        48.86145,
        2.39330,
        "option",
        "ext",
        30,
        {
            "contacts": ["Conservation du cimetière; accueil; 01 99 00 12 09"],
            "step_free": "non",
            "access_notes": "pavés, allées en pente",
            "site_kind": "city_building",
            "crew_size": "18",
            "tech_vehicles": "3",
        },
    ),
    (
        "Pont de Bir-Hakeim",
        "PONT — EXT. NUIT",
        "pont de Bir-Hakeim",
        "75015",
        48.85560,
        2.28740,
        "scouted",
        "ext",
        None,
        {
            "notes": "Sur la limite 15e/16e : préciser le côté de l'installation",
            "site_kind": "bridge",
        },
    ),
    (
        "Shakespeare and Company",
        "LIBRAIRIE — INT. JOUR",
        "37 rue de la Bûcherie",
        "75005",
        48.85260,
        2.34710,
        "option",
        "int",
        16,
        {
            "contacts": ["Service presse; relations tournages; 01 99 00 12 11"],
            "step_free": "non",
            "lift": "non",
            "narrowest_door_cm": "70",
        },
    ),
    (
        "Le Train Bleu",
        "BUFFET DE GARE — INT. NUIT",
        "place Louis-Armand (Gare de Lyon)",
        "75012",
        48.84480,
        2.37350,
        "to_scout",
        "int",
        None,
        {
            "notes": "Autorisation SNCF en plus du restaurant",
            "site_kind": "sncf",
        },
    ),
    (
        "Square du Vert-Galant",
        "QUAI DU CANAL — EXT. JOUR",
        "15 place du Pont-Neuf",
        "75001",
        48.85750,
        2.34020,
        "option",
        "ext",
        23,
        {
            "step_free": "non",
            "access_notes": "escalier depuis le Pont-Neuf",
            "site_kind": "quay",
            "crew_size": "20",
        },
    ),
    (
        "Musée de la Vie romantique",
        "SALON DE L'ÉDITEUR — INT. JOUR",
        "16 rue Chaptal",
        "75009",
        48.88100,
        2.33350,
        "scouted",
        "int",
        None,
        {
            "step_free": "oui",
            "lift": "oui",
            "accessible_toilets": "oui",
        },
    ),
]


# lieu name, permit type, fields, statuses to go through (with a note for the history)
PERMITS: list[tuple[str, str, dict[str, Any], list[tuple[str, str]]]] = [
    (
        "Place de l'Estrapade",
        "demande_agate",
        {"reference": "AGATE-2026-11873"},
        [("filed", "Dossier complet déposé sur la plateforme"), ("under_review", "")],
    ),
    (
        "Place de l'Estrapade",
        "arrete_stationnement",
        {
            "street": "rue de l'Estrapade",
            "side": "pair",
            "from_number": "2",
            "to_number": "14",
            "spaces": "6",
        },
        [("in_preparation", "Plan de stationnement à finir")],
    ),
    (
        "Café des Deux Moulins",
        "proprietaire",
        {"contact": "Marc Dufresne"},
        [("filed", ""), ("granted", "Convention signée")],
    ),
    ("Café de Flore", "proprietaire", {}, []),
    (
        "Passage des Panoramas",
        "declaration_prealable",
        {},
        [("cancelled", "Tournage de nuit : une déclaration préalable ne suffit pas")],
    ),
    ("Passage des Panoramas", "demande_agate", {}, [("in_preparation", "")]),
    ("Cimetière du Père-Lachaise", "demande_agate", {}, [("in_preparation", "")]),
    ("Shakespeare and Company", "proprietaire", {}, [("filed", ""), ("under_review", "")]),
    (
        "Square du Vert-Galant",
        "demande_agate",
        {},
        [("filed", ""), ("refused", "Quai fermé pour travaux ces jours-là")],
    ),
]


def seed_demo(ws: Workspace) -> tuple[int, bool]:
    """Create the demo production. Returns (number of lieux, created now?)."""
    service = ws.lieux
    for production in service.productions():
        if production.demo:
            return ws.productions.counts().get(production.id, 0), False
    today = ws.clock.today()
    ids: dict[str, int] = {}
    with ws.transaction():
        production = service.add_production(PRODUCTION, company="Démo Films", demo=True)
        for name, decor, address, postcode, lat, lon, status, setting, days, extra in PLACES:
            extra = dict(extra)
            hours = extra.pop("shoot_hours", "07:30-19:00")
            raw = {
                "name": name,
                "decor": decor,
                "address": address,
                "postcode": postcode,
                "lat": lat,
                "lon": lon,
                "status": status,
                "setting": setting,
                **extra,
            }
            if days is not None:
                first = today + timedelta(days=days)
                raw["shoot_days"] = [
                    f"{first.isoformat()} {hours}",
                    f"{(first + timedelta(days=1)).isoformat()} {hours}",
                ]
            ids[name] = service.add(raw, production_id=production.id).id  # type: ignore[assignment]
        permits = ws.permits
        for name, type_id, fields, steps in PERMITS:
            permit = permits.add(ids[name], type_id, fields)
            for status, note in steps:
                permits.update(permit.id, {}, status, note)  # type: ignore[arg-type]
    return len(PLACES), True
