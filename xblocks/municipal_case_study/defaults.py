"""The case a new block starts with in Studio: small, valid, clearly fictional, in French."""

DEFAULT_TITLE = "Étude de cas municipale"

DEFAULT_CASE = {
    "municipality": {
        "name": "Ville de Saint-Exemple",
        "fictional": True,
        "region": "Région imaginaire",
        "population": 25000,
    },
    "introduction": "Remplacez ce cas d’exemple par le vôtre dans l’éditeur.",
    "steps": [
        {
            "id": "decision",
            "type": "decision",
            "title": "Première décision",
            "prompt": "La Ville envisage un outil d’intelligence artificielle. Par où commencer?",
            "options": [
                {"id": "besoins", "label": "Décrire d’abord le besoin",
                 "consequence": "L’équipe précise le problème à résoudre."},
                {"id": "outil", "label": "Choisir d’abord un outil",
                 "consequence": "L’outil ne répond qu’en partie au besoin."},
            ],
        },
        {"id": "bilan", "type": "debrief", "title": "Bilan", "key_lessons": ["Partir du besoin, pas de l’outil."]},
    ],
}
