"""Believable FR/EN feedback text: templates filled from a product vocabulary drawn Zipf-like.

A few hundred base terms, combined with qualifiers, give ~2,500 distinct terms; term `k` (by
rank) is drawn with weight 1/k^1.07, so a few words ("export", "dashboard") are everywhere and
most are rare, as in real feedback, which is what full-text ranking and its costs depend on.
"""

from __future__ import annotations

import bisect
import itertools
import random

BASE_TERMS = [
    ("export", "export"),
    ("dashboard", "tableau de bord"),
    ("invoice", "facture"),
    ("report", "rapport"),
    ("single sign-on", "authentification unique"),
    ("permissions", "droits d'accès"),
    ("search", "recherche"),
    ("notifications", "notifications"),
    ("calendar", "calendrier"),
    ("mobile app", "application mobile"),
    ("API", "API"),
    ("webhook", "webhook"),
    ("billing", "facturation"),
    ("onboarding", "intégration"),
    ("user roles", "rôles utilisateurs"),
    ("audit log", "journal d'audit"),
    ("data import", "import de données"),
    ("CSV upload", "téléversement CSV"),
    ("PDF download", "téléchargement PDF"),
    ("filters", "filtres"),
    ("saved views", "vues enregistrées"),
    ("workflow", "processus"),
    ("approval", "validation"),
    ("contract", "contrat"),
    ("quote", "devis"),
    ("payment", "paiement"),
    ("refund", "remboursement"),
    ("subscription", "abonnement"),
    ("seat licence", "licence utilisateur"),
    ("team space", "espace d'équipe"),
    ("comment thread", "fil de commentaires"),
    ("attachment", "pièce jointe"),
    ("email digest", "résumé par e-mail"),
    ("Slack integration", "intégration Slack"),
    ("Salesforce sync", "synchronisation Salesforce"),
    ("HubSpot connector", "connecteur HubSpot"),
    ("Zendesk ticket", "ticket Zendesk"),
    ("time zone", "fuseau horaire"),
    ("currency", "devise"),
    ("tax rate", "taux de TVA"),
    ("purchase order", "bon de commande"),
    ("inventory", "inventaire"),
    ("warehouse", "entrepôt"),
    ("shipping label", "étiquette d'expédition"),
    ("tracking number", "numéro de suivi"),
    ("customer portal", "portail client"),
    ("login page", "page de connexion"),
    ("password reset", "réinitialisation du mot de passe"),
    ("two-factor authentication", "double authentification"),
    ("session timeout", "expiration de session"),
    ("dark mode", "mode sombre"),
    ("accessibility", "accessibilité"),
    ("keyboard shortcuts", "raccourcis clavier"),
    ("bulk edit", "modification en masse"),
    ("duplicate detection", "détection des doublons"),
    ("custom fields", "champs personnalisés"),
    ("field mapping", "correspondance des champs"),
    ("data retention", "conservation des données"),
    ("GDPR request", "demande RGPD"),
    ("analytics", "statistiques"),
    ("chart", "graphique"),
    ("pivot table", "tableau croisé"),
    ("forecast", "prévision"),
    ("budget", "budget"),
    ("expense report", "note de frais"),
    ("timesheet", "feuille de temps"),
    ("project board", "tableau de projet"),
    ("task list", "liste de tâches"),
    ("reminder", "rappel"),
    ("SLA", "SLA"),
    ("escalation", "escalade"),
    ("chatbot", "assistant conversationnel"),
    ("knowledge base", "base de connaissances"),
    ("survey", "enquête"),
    ("NPS score", "score NPS"),
    ("release notes", "notes de version"),
    ("sandbox", "bac à sable"),
    ("staging environment", "environnement de recette"),
    ("rate limit", "limite de débit"),
    ("OAuth scopes", "périmètres OAuth"),
    ("SCIM provisioning", "provisionnement SCIM"),
    ("printing", "impression"),
    ("translation", "traduction"),
    ("signature", "signature électronique"),
    ("archive", "archive"),
    ("recycle bin", "corbeille"),
    ("version history", "historique des versions"),
    ("templates", "modèles"),
    ("map view", "vue carte"),
    ("Gantt chart", "diagramme de Gantt"),
    ("offline mode", "mode hors ligne"),
    ("sync conflict", "conflit de synchronisation"),
    ("load time", "temps de chargement"),
    ("page size", "pagination"),
    ("sorting", "tri"),
    ("column width", "largeur des colonnes"),
    ("Excel export", "export Excel"),
    ("scheduled report", "rapport planifié"),
    ("discount", "remise"),
    ("credit note", "avoir"),
    ("multi-entity", "multi-entités"),
    ("consolidation", "consolidation"),
    ("vendor", "fournisseur"),
]
QUALIFIERS = [
    ("", ""),
    ("monthly ", "mensuel "),
    ("custom ", "personnalisé "),
    ("shared ", "partagé "),
    ("automatic ", "automatique "),
    ("bulk ", "en masse "),
    ("regional ", "régional "),
    ("advanced ", "avancé "),
    ("legacy ", "ancien "),
    ("new ", "nouveau "),
    ("team ", "d'équipe "),
    ("admin ", "administrateur "),
    ("mobile ", "mobile "),
    ("public ", "public "),
    ("private ", "privé "),
    ("draft ", "brouillon "),
    ("weekly ", "hebdomadaire "),
    ("archived ", "archivé "),
    ("external ", "externe "),
    ("default ", "par défaut "),
    ("multi-currency ", "multidevise "),
    ("nested ", "imbriqué "),
    ("recurring ", "récurrent "),
    ("historical ", "historique "),
    ("filtered ", "filtré "),
]

TITLES_EN = [
    "Cannot {verb} the {a} from the {b}",
    "{A} is too slow with large {b}",
    "{A} does not support {b}",
    "Need {a} in the {b}",
    "{A} breaks when the {b} changes",
    "No way to {verb} the {a}",
    "{A} missing for {b}",
    "{A} shows wrong totals in the {b}",
    "Allow {a} per {b}",
    "{A} and {b} are out of sync",
    "Lost {a} after {b} update",
    "{A}: {b} limit too low",
]
TITLES_FR = [
    "Impossible de {verb} le {a} depuis le {b}",
    "{A} trop lent avec beaucoup de {b}",
    "{A} ne gère pas le {b}",
    "Besoin du {a} dans le {b}",
    "{A} cassé quand le {b} change",
    "Aucun moyen de {verb} le {a}",
    "{A} absent pour le {b}",
    "{A} : totaux faux dans le {b}",
    "Permettre le {a} par {b}",
    "{A} et {b} désynchronisés",
    "{A} perdu après mise à jour du {b}",
    "{A} : limite du {b} trop basse",
]
PROBLEMS_EN = [
    "Every month the finance team spends hours because the {a} cannot be used with the {b}. "
    "They copy data by hand and make mistakes; the {c} is then wrong for the board.",
    "When a customer opens the {a} with more than a few thousand rows the {b} times out. "
    "Their support agents give up and ask us for a {c} instead.",
    "The {a} ignores the {b}, so managers cannot trust the {c}. Three renewals mention it as a blocker this quarter.",
    "Users expect the {a} to follow the {b}. Today they must open the {c} separately, "
    "which doubles the time of a routine task.",
    "Admins cannot restrict the {a} by {b}. Security reviews flag it and procurement delays the contract.",
    "After the last release the {a} no longer keeps the {b}. Customers lose work and open tickets about the {c}.",
]
PROBLEMS_FR = [
    "Chaque mois l'équipe finance perd des heures car le {a} ne fonctionne pas avec le {b}. "
    "Ils recopient à la main et se trompent ; le {c} présenté au comité est faux.",
    "Quand un client ouvre le {a} avec plusieurs milliers de lignes, le {b} expire. "
    "Les agents abandonnent et nous demandent un {c} à la place.",
    "Le {a} ignore le {b}, les managers ne font donc pas confiance au {c}. "
    "Trois renouvellements le citent comme bloquant ce trimestre.",
    "Les utilisateurs attendent que le {a} suive le {b}. Aujourd'hui ils doivent ouvrir le {c} à part, "
    "ce qui double le temps d'une tâche courante.",
    "Les administrateurs ne peuvent pas restreindre le {a} par {b}. La sécurité bloque et les achats "
    "retardent le contrat.",
    "Depuis la dernière version le {a} ne conserve plus le {b}. Les clients perdent leur travail et "
    "ouvrent des tickets sur le {c}.",
]
VERBS_EN = ["export", "filter", "share", "schedule", "merge", "archive", "restore", "print", "sync", "approve"]
VERBS_FR = ["exporter", "filtrer", "partager", "planifier", "fusionner", "archiver", "restaurer", "imprimer"]
EVIDENCE_EN = [
    "“We lose half a day every month on this.” — finance lead",
    "Ticket #{n}: the customer attached a screen recording.",
    "Quote from the QBR: “this is the one thing stopping the rollout.”",
]
EVIDENCE_FR = [
    "« On perd une demi-journée par mois là-dessus. » — responsable finance",
    "Ticket n°{n} : le client a joint un enregistrement d'écran.",
    "Verbatim de la revue trimestrielle : « c'est ce qui bloque le déploiement ».",
]


class Vocabulary:
    def __init__(self, rng: random.Random, exponent: float = 1.07) -> None:
        terms = [
            (q_en + en, (fr + " " + q_fr.strip()).strip())
            for (q_en, q_fr), (en, fr) in itertools.product(QUALIFIERS, BASE_TERMS)
        ]
        rng.shuffle(terms)
        # The unqualified base terms are the most frequent ones, as in real text.
        base = [(en, fr) for en, fr in BASE_TERMS]
        rest = [t for t in terms if t not in set(base)]
        self.terms = base + rest
        weights = [1.0 / (rank + 1) ** exponent for rank in range(len(self.terms))]
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]
        self.rng = rng

    def pick(self) -> tuple[str, str]:
        return self.terms[bisect.bisect(self.cumulative, self.rng.random() * self.total)]


class TextMaker:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = Vocabulary(self.rng)

    def feedback(self, language: str) -> tuple[str, str, int]:
        """(title, problem, template number) in the language."""
        rng = self.rng
        a, b, c = self.vocabulary.pick(), self.vocabulary.pick(), self.vocabulary.pick()
        i = 0 if language == "en" else 1
        titles, problems, verbs = (TITLES_EN, PROBLEMS_EN, VERBS_EN) if i == 0 else (TITLES_FR, PROBLEMS_FR, VERBS_FR)
        template = rng.randrange(len(problems))
        title = rng.choice(titles).format(verb=rng.choice(verbs), a=a[i], b=b[i], A=a[i][:1].upper() + a[i][1:])
        problem = problems[template].format(a=a[i], b=b[i], c=c[i])
        return title[:200], problem, template

    def evidence(self, language: str) -> str:
        pool = EVIDENCE_EN if language == "en" else EVIDENCE_FR
        return self.rng.choice(pool).format(n=self.rng.randrange(10000, 99999))
