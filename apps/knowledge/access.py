"""Access rule for every URL name of this app: "public", "login" or "coordinator"."""

RULES: dict[str, str] = {}

# Commitments (permissions_commitments.py): pages scope per object, "not yours" answers 404.
RULES |= {
    "knowledge:commitments": "public", "knowledge:commitment": "public", "knowledge:commitments_export": "public",
    "knowledge:commitments_mine": "login", "knowledge:commitments_import": "login",
    "knowledge:commitment_status": "login",
    "api:knowledge-commitment-list": "login", "api:knowledge-commitment-detail": "login",
    "api:knowledge-commitment-status": "login",
}

# Practices, lessons, guidelines and the search (permissions_practices.py): public pages scope per
# object (an unpublished one answers 404 to others); writing needs a sign-in, then the rule per object.
RULES |= {
    "knowledge:practices": "public", "knowledge:practice": "public", "knowledge:who_solved": "public",
    "knowledge:practice_create": "login", "knowledge:practice_edit": "login",
    "knowledge:guidelines": "public", "knowledge:guideline": "public", "knowledge:guideline_file": "public",
    "knowledge:guideline_create": "login", "knowledge:guideline_edit": "login",
    "knowledge:guideline_version_add": "login", "knowledge:search": "public",
    "api:knowledge-practice-list": "public", "api:knowledge-practice-detail": "public",
    "api:knowledge-guideline-list": "public", "api:knowledge-guideline-detail": "public",
    "api:knowledge-search-list": "public",
}

# Workshops and the PATT tree (permissions_workshops.py): public to read; recording needs a sign-in,
# then the rule per object (coordinators, or the organising organisation's editors).
RULES |= {
    "knowledge:workshops": "public", "knowledge:workshop": "public", "knowledge:patt_tree": "public",
    "knowledge:workshop_new": "login", "knowledge:workshop_edit": "login",
    "api:knowledge-workshop-list": "public", "api:knowledge-workshop-detail": "public",
}
