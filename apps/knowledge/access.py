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
