"""Starter content of a self-assessment added in Studio (valid data; edit it as YAML)."""

DEFAULT_TITLE = "Autoévaluation"

DEFAULT_QUIZ = {
    "intro": "Répondez selon votre pratique actuelle. Votre profil n’est visible que par vous.",
    "scale": [
        {"value": 1, "label": "Pas du tout"},
        {"value": 2, "label": "Un peu"},
        {"value": 3, "label": "Assez"},
        {"value": 4, "label": "Tout à fait"},
    ],
    "dimensions": [
        {
            "id": "comprendre",
            "label": "Comprendre l’IA",
            "bands": [
                {"min": 0, "max": 59, "label": "À consolider",
                 "feedback": "Revoyez les notions de base avant d’aller plus loin."},
                {"min": 60, "max": 100, "label": "Acquis",
                 "feedback": "Vous maîtrisez les notions de base."},
            ],
        }
    ],
    "questions": [
        {
            "id": "q1",
            "type": "true_false",
            "dimension": "comprendre",
            "prompt": "Un système d’IA générative peut produire une réponse fausse avec assurance.",
            "answer": True,
            "explanation": "Ces systèmes prédisent du texte plausible : il faut vérifier leurs réponses.",
        },
        {
            "id": "q2",
            "type": "likert",
            "dimension": "comprendre",
            "prompt": "Je sais expliquer à un collègue ce qu’est un système d’IA.",
        },
    ],
}
