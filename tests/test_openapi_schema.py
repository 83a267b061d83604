from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_generates_without_warnings_and_validates():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/persons/" in out.getvalue()


@pytest.mark.django_db
def test_the_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_the_api_docs_use_no_third_party_assets(client):
    page = client.get("/api/docs/").content.decode()
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page
