"""DRF endpoints of this app; `register(router)` adds them under /api/v1/."""


def register(router) -> list:
    """Register viewsets on the shared router; return extra url patterns (or [])."""
    from apps.knowledge import api_commitments, api_practices, api_workshops

    extra: list = []
    extra += api_commitments.register(router)
    extra += api_practices.register(router)
    extra += api_workshops.register(router)
    return extra
