"""The guidelines library: versioned files checked by their bytes and served as safe downloads,
who publishes, who sees unpublished ones, the memory they leave, and the services that use them."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Activity
from apps.knowledge import services_practices as services
from apps.knowledge.files import safe_display_name, tiny_pdf
from apps.knowledge.models import Guideline, GuidelineVersion
from apps.territory.models import Sector
from tests.factories import org
from tests.knowledge.practice_factories import GuidelineFactory
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name: str = "guia.pdf", text: str = "Guía de acueductos") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text, ["Primera parte"]), content_type="application/pdf")


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _data(**extra) -> dict:
    return {"title": "Guía de acueductos veredales", "summary": "Paso a paso para formular.", "kind": "guia",
            "published": True, "capacities": ["planeacion"], "categories": ["5", "6"],
            "sectors": [Sector.objects.get(slug="agua-potable")], **extra}


# --- Publishing and versions -------------------------------------------------------------------------


def test_it_publishes_a_guideline_with_its_first_version_and_remembers_it(nina, media):
    guideline = services.guideline_create(user=nina, data=_data(), upload=pdf(), notes="Primera edición")
    version = guideline.versions.get()
    assert (version.number, version.content_type, version.file_name) == (1, "application/pdf", "guia.pdf")
    assert Path(version.file.path).is_relative_to(media / "knowledge" / "guidelines")
    activity = Activity.objects.get(kind="guideline.published")
    assert (activity.organization_id, activity.data["version"]) == (org("MinVivienda").pk, 1)


def test_a_new_version_keeps_the_old_ones_downloadable(client, nina):
    guideline = services.guideline_create(user=nina, data=_data(), upload=pdf(text="Primera"))
    second = services.guideline_version_add(user=nina, guideline=guideline, upload=pdf(text="Segunda"),
                                            notes="Incluye regalías")
    assert second.number == 2
    first = client.get(reverse("knowledge:guideline_file", args=[guideline.pk, 1]))
    latest = client.get(reverse("knowledge:guideline_file", args=[guideline.pk, 2]))
    assert b"Primera" in b"".join(first.streaming_content) and b"Segunda" in b"".join(latest.streaming_content)
    assert Activity.objects.filter(kind="guideline.published").count() == 2
    page = client.get(guideline.get_absolute_url()).content.decode()
    assert "Incluye regalías" in page and page.count("Descargar") == 2


def test_the_same_file_twice_adds_no_version(nina):
    guideline = services.guideline_create(user=nina, data=_data(), upload=pdf())
    again = services.guideline_version_add(user=nina, guideline=guideline, upload=pdf())
    assert again.replayed and again.number == 1 and GuidelineVersion.objects.count() == 1


def test_a_double_submit_publishes_once(nina):
    first = services.guideline_create(user=nina, data=_data(), upload=pdf())
    second = services.guideline_create(user=nina, data=_data(), upload=pdf())
    assert second.pk == first.pk and second.replayed and Guideline.objects.count() == 1


@pytest.mark.parametrize(("persona", "allowed"), [
    ("alice", False), ("bob", False), ("dora", True), ("nina", True), ("carla", True),
])
def test_who_may_publish(request, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        assert services.guideline_create(user=user, data=_data(), upload=pdf()).organization == user.organization
    else:
        with pytest.raises(PermissionDenied):
            services.guideline_create(user=user, data=_data(), upload=pdf())


def test_only_the_publisher_adds_versions(nina, nico):
    guideline = GuidelineFactory()
    with pytest.raises(PermissionDenied):
        services.guideline_version_add(user=nico, guideline=guideline, upload=pdf())
    assert services.guideline_version_add(user=nina, guideline=guideline, upload=pdf()).number == 2


def test_a_guideline_names_only_its_own_entitys_services(nina):
    theirs = ServiceFactory(organization=org("ANM"))
    with pytest.raises(ValidationError) as error:
        services.guideline_create(user=nina, data=_data(services=[theirs]), upload=pdf())
    assert "services" in error.value.message_dict


# --- Hostile files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), [
    ("guia.pdf", b"<!doctype html><script>alert(1)</script>"),  # HTML renamed .pdf
    ("guia.docx", b"PK\x03\x04not really a zip"),
    ("guia.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("guia.exe", b"MZ\x90\x00"),
    ("vacio.pdf", b""),
])
def test_it_refuses_what_is_not_an_allowed_document(nina, name, content):
    with pytest.raises(ValidationError) as error:
        services.guideline_create(user=nina, data=_data(), upload=SimpleUploadedFile(name, content))
    assert error.value.message_dict["file"][0].startswith("El archivo")
    assert not Guideline.objects.exists()


def test_a_zip_that_is_no_office_document_is_refused(nina):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    with pytest.raises(ValidationError):
        services.guideline_create(user=nina, data=_data(), upload=SimpleUploadedFile("x.docx", buffer.getvalue()))


def _bomb(members: int, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        chunk = b"\0" * size
        for n in range(members):
            archive.writestr(f"word/media/relleno{n}.bin", chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(("members", "size"), [
    (1, 300 * 1024 * 1024),  # one part that inflates to 300 MB
    (190, 1024 * 1024),  # many parts of 1 MB each: none over the per-part bound, 190 MB in all
])
def test_a_word_zip_bomb_is_refused(nina, members, size):
    content = _bomb(members, size)
    assert len(content) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        services.guideline_create(user=nina, data=_data(), upload=SimpleUploadedFile("bomba.docx", content))
    assert "desproporcionado" in error.value.message_dict["file"][0]
    assert not Guideline.objects.exists()

def test_an_oversize_file_is_refused_in_spanish(nina, settings):
    settings.KNOWLEDGE_UPLOAD_MAX_BYTES = 200
    with pytest.raises(ValidationError) as error:
        services.guideline_create(user=nina, data=_data(), upload=pdf())
    assert "máximo permitido" in error.value.message_dict["file"][0]


def test_a_word_document_is_accepted_by_its_parts(nina):
    guideline = services.guideline_create(user=nina, data=_data(), upload=SimpleUploadedFile("Guía.docx", docx()))
    assert guideline.versions.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\Guía final.PDF", "guia-final.pdf"),
    ("informe.pdf.exe", "informepdf.pdf"),
    ("", "orientacion.pdf"),
    ("....pdf", "orientacion.pdf"),
    ("\u202egpj.exe.pdf", "gpjexe.pdf"),  # right-to-left override: no name that reads backwards
    ("a\x00b.pdf", "ab.pdf"),
    ("مل\u200fف.pdf", "orientacion.pdf"),
])
def test_names_lose_folders_and_take_the_detected_type(name, expected):
    assert safe_display_name(name, "pdf") == expected


def test_a_traversal_name_never_reaches_the_file_system(nina, media):
    guideline = services.guideline_create(user=nina, data=_data(), upload=pdf(name="../../../../tmp/evil.pdf"))
    version = guideline.versions.get()
    assert version.file_name == "evil.pdf"
    assert Path(version.file.path).resolve().is_relative_to(media.resolve())
    assert "evil" not in version.file.name


# --- Downloads ----------------------------------------------------------------------------------------


def test_a_download_is_an_attachment_that_no_browser_sniffs(client, nina):
    guideline = services.guideline_create(user=nina, data=_data(title="Guía «acueductos» / 2027"), upload=pdf())
    response = client.get(reverse("knowledge:guideline_file", args=[guideline.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="guia-acueductos-2027-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(("persona", "status"), [
    (None, 404), ("alice", 404), ("nico", 404), ("nina", 200), ("carla", 200),
])
def test_an_unpublished_guideline_and_its_files_are_only_for_their_entity(request, client_as, persona, status):
    guideline = GuidelineFactory(published=False)
    client = client_as(request.getfixturevalue(persona) if persona else None)
    assert client.get(guideline.get_absolute_url()).status_code == status
    assert client.get(reverse("knowledge:guideline_file", args=[guideline.pk, 1])).status_code == status


def test_a_missing_version_is_404(client):
    guideline = GuidelineFactory()
    assert client.get(reverse("knowledge:guideline_file", args=[guideline.pk, 9])).status_code == 404


# --- Pages and API -----------------------------------------------------------------------------------


def test_the_form_publishes_and_refuses_a_bad_file_on_its_field(client_as, nina):
    client = client_as(nina)
    response = client.post(reverse("knowledge:guideline_create"), {
        "kind": "guia", "title": "Guía falsa", "file": SimpleUploadedFile("x.pdf", b"<html></html>")})
    assert response.status_code == 400 and "El archivo debe ser PDF" in response.content.decode()
    assert "Guía falsa" in response.content.decode()
    response = client.post(reverse("knowledge:guideline_create"), {
        "kind": "metodologia", "title": "Metodología de mesas técnicas", "sectors": ["agua-potable"],
        "capacities": ["gestion"], "published": "on", "file": pdf()})
    guideline = Guideline.objects.get(title="Metodología de mesas técnicas")
    assert response.status_code == 302 and guideline.capacities == ["gestion"]


def test_a_municipality_cannot_open_the_publish_form(client_as, alice):
    assert client_as(alice).get(reverse("knowledge:guideline_create")).status_code == 403


def test_the_service_page_links_the_guidelines_it_uses(client):
    service = ServiceFactory()
    guideline = GuidelineFactory()
    guideline.services.add(service)
    hidden = GuidelineFactory(published=False, title="Borrador interno")
    hidden.services.add(service)
    page = client.get(service.get_absolute_url()).content.decode()
    assert guideline.title in page and guideline.get_absolute_url() in page and "Borrador interno" not in page


def test_the_library_filters_and_costs_the_same_for_one_or_many(client):
    GuidelineFactory(capacities=["planeacion"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("knowledge:guidelines"), {"capacidad": "planeacion"}).status_code == 200
        return len(ctx)

    one = count()
    GuidelineFactory.create_batch(3, versions=2)
    GuidelineFactory(capacities=["gestion"], title="Solo gestión")
    assert count() == one  # count, guidelines, their sectors, their versions, the filter's sectors
    page = client.get(reverse("knowledge:guidelines"), {"capacidad": "planeacion"}).content.decode()
    assert page.count('class="card guideline"') == 4 and "Solo gestión" not in page


def test_the_api_gives_versions_with_their_file_urls(api_as):
    guideline = GuidelineFactory(versions=2)
    GuidelineFactory(published=False)
    body = api_as(None).get("/api/v1/knowledge/guidelines/").json()
    assert [g["id"] for g in body["results"]] == [guideline.pk]
    versions = body["results"][0]["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[1]["file_url"].endswith(reverse("knowledge:guideline_file", args=[guideline.pk, 1]))


def test_the_api_list_costs_the_same_for_one_or_many(api_as, django_assert_num_queries):
    GuidelineFactory()
    api = api_as(None)
    with django_assert_num_queries(4):  # count, guidelines with organisation, their sectors, their versions
        assert len(api.get("/api/v1/knowledge/guidelines/").json()["results"]) == 1
    GuidelineFactory.create_batch(3, versions=2)
    with django_assert_num_queries(4):
        assert len(api.get("/api/v1/knowledge/guidelines/").json()["results"]) == 4


def test_admins_can_look_at_practices_and_guidelines(client_as, adam):
    from tests.knowledge.practice_factories import PracticeFactory

    guideline = GuidelineFactory(versions=2)
    practice = PracticeFactory()
    client = client_as(adam)
    for url in ("/admin/knowledge/practice/", f"/admin/knowledge/practice/{practice.pk}/change/",
                "/admin/knowledge/guideline/", f"/admin/knowledge/guideline/{guideline.pk}/change/"):
        assert client.get(url).status_code == 200, url


def test_a_withdrawn_guideline_leaves_the_entitys_public_timeline(client, client_as, nina):
    """Unpublishing kept the «publicada» rows public: the title stayed on the entity's page."""
    guideline = services.guideline_create(user=nina, data=_data(title="Guía retirada de acueductos"), upload=pdf())
    services.guideline_version_add(user=nina, guideline=guideline, upload=pdf(text="Segunda"))
    page = reverse("territory:entity", args=[org("MinVivienda").national_entity.acronym])
    assert "Guía retirada de acueductos" in client.get(page).content.decode()
    services.guideline_update(user=nina, guideline=guideline, data={"published": False})
    assert "Guía retirada de acueductos" not in client.get(page).content.decode()
    assert "Guía retirada de acueductos" in client_as(nina).get(page).content.decode()
    services.guideline_update(user=nina, guideline=guideline, data={"published": True})
    assert "Guía retirada de acueductos" in client.get(page).content.decode()
    assert Activity.objects.filter(kind="guideline.published", public=True).count() == 2


@pytest.mark.parametrize(("persona", "sees"), [("nina", True), ("dora", True), ("carla", True), ("alice", False)])
def test_my_work_offers_publishing_a_guideline_to_those_who_may(request, client_as, persona, sees):
    html = client_as(request.getfixturevalue(persona)).get(reverse("core:dashboard")).content.decode()
    assert (reverse("knowledge:guideline_create") in html) is sees
