"""The munitions taxonomy: the contract's 20 leaf categories under six groups."""

GROUPS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "ammunition",
        "Ammunition and explosives",
        [
            ("artillery_ammunition", "Artillery and mortar ammunition"),
            ("tank_ammunition", "Tank ammunition"),
            ("small_arms_ammunition", "Small-arms ammunition"),
            ("ammunition_other", "Other ammunition and bombs"),
            ("mines_explosives", "Mines and explosives"),
        ],
    ),
    (
        "missiles_air_defence",
        "Missiles and air defence",
        [
            ("rockets_missiles", "Rockets and missiles"),
            ("air_defense", "Air defence"),
            ("anti_tank", "Anti-tank weapons"),
        ],
    ),
    (
        "weapon_systems",
        "Weapon systems",
        [
            ("artillery_systems", "Artillery systems and launchers"),
            ("small_arms", "Small arms"),
        ],
    ),
    (
        "vehicles_aircraft",
        "Vehicles, aircraft and ships",
        [
            ("armored_vehicles", "Armoured vehicles"),
            ("aircraft", "Aircraft"),
            ("helicopters", "Helicopters"),
            ("drones", "Drones and loitering munitions"),
            ("naval", "Naval vessels"),
        ],
    ),
    (
        "equipment",
        "Equipment",
        [
            ("radars_sensors", "Radars and sensors"),
            ("military_equipment_other", "Other military equipment"),
            ("non_lethal_equipment", "Non-lethal equipment"),
        ],
    ),
    (
        "aid",
        "Aid",
        [
            ("financial_aid", "Financial aid"),
            ("humanitarian_aid", "Humanitarian aid"),
        ],
    ),
]

LEAF_SLUGS: list[str] = [slug for _, _, leaves in GROUPS for slug, _ in leaves]
GROUP_SLUGS: list[str] = [slug for slug, _, _ in GROUPS]
